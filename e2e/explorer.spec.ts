import { expect, test, type Page } from "@playwright/test";
import { runMigrationAgent, runSupportAgent } from "@/demo/agents";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";
import { E2E } from "./env";

/**
 * The run explorer with real agents: the demo agents (real SDKs, real OTLP) send
 * their spans through the collector `npm start` runs, and the browser shows them.
 */
const agent = { endpoint: E2E.collectorUrl, headers: E2E.ingestHeaders, timeScale: 0.03 };

/** The graph node whose aria label starts with `label`, and its span id. */
async function node(page: Page, label: RegExp) {
  const locator = page.getByRole("button", { name: label }).and(page.locator("g[data-span-id]"));
  await expect(locator.first()).toBeAttached();
  return { locator: locator.first(), spanId: (await locator.first().getAttribute("data-span-id"))! };
}

/** A step's node in the decision graph (the timeline and the context chart mark the same span id). */
const graphNode = (page: Page, spanId: string) => page.locator(`g[data-span-id="${spanId}"]`);

test("a new run appears in the list, live, without a reload", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByText("Live", { exact: true })).toBeVisible(); // change notifications flow
  const stop = new AbortController();
  let runId = "";
  const started = new Promise<void>((resolve) => {
    void runMigrationAgent({
      ...agent,
      timeScale: 1,
      durationMs: 60_000,
      stepMs: 1_000,
      signal: stop.signal,
      hooks: { onRunStarted: (id) => void ((runId = id), resolve()) },
    }).catch(() => {}); // aborted at the end of the test
  });
  try {
    await started;
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await expect(row).toContainText("live", { timeout: 5_000 });
    await expect(row).toContainText("data-migration");
  } finally {
    stop.abort();
  }
});

test("the decision graph shows which decision chose a tool and which decision read its result", async ({ page }) => {
  const run = await runSupportAgent({ ...agent, scenario: "where-is-my-order" });
  await page.goto(`/runs/${run.runId}`);
  await expect(page.getByRole("heading", { name: "support-bot" })).toBeVisible();

  const tool = await node(page, /^tool lookup_order/);
  const chose = page.locator(`[data-edge-kind="tool_call"][data-to="${tool.spanId}"]`);
  await expect(chose).toHaveCount(1);
  const decision = await chose.getAttribute("data-from");
  await expect(graphNode(page, decision!)).toHaveAttribute("aria-label", /^decision gpt-4o-mini.*chose lookup_order/);
  const read = page.locator(`[data-edge-kind="tool_result"][data-from="${tool.spanId}"]`);
  await expect(read).toHaveCount(1);
  const next = (await read.getAttribute("data-to"))!;
  await expect(graphNode(page, next)).toHaveAttribute("aria-label", /^decision/);

  // Open the decision that read the result: its context shows the tool result as added since the previous decision.
  const nextNode = graphNode(page, next);
  await nextNode.focus();
  await nextNode.press("Enter");
  await expect(page).toHaveURL(new RegExp(`step=${next}`));
  const context = page.getByRole("region", { name: "Context" });
  const added = context.locator('article[data-role="tool"][data-diff="added"]');
  await expect(added).toHaveCount(1);
  await expect(added).toContainText("B-20913");
});

test("replay walks the decision path with the keyboard and a link reopens the same step", async ({ page }) => {
  const run = await runSupportAgent({ ...agent, scenario: "damaged-item" });
  await page.goto(`/runs/${run.runId}`);
  const toolbar = page.getByRole("toolbar", { name: "Replay" });
  await expect(toolbar).toContainText("steps on the decision path");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await expect(toolbar).toContainText("Step 3 of");
  await page.keyboard.press("ArrowLeft");
  await expect(toolbar).toContainText("Step 2 of");
  const step = new URL(page.url()).searchParams.get("step");
  expect(step).toMatch(/^[0-9a-f]{16}$/);

  await page.reload();
  await expect(toolbar).toContainText("Step 2 of");
  await expect(page.getByRole("table", { name: "Timeline" }).locator('[aria-selected="true"]')).toHaveAttribute(
    "data-span-id",
    step!,
  );
  await expect(page.getByRole("complementary", { name: "Selected step" })).toHaveAttribute("data-selected-step", step!);
});

test("span content is shown as text, never as markup", async ({ page }) => {
  const payload = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
  const { traceId } = await runGenAiAgent({ endpoint: E2E.collectorUrl, headers: E2E.ingestHeaders, userText: payload });
  await page.goto(`/runs/${traceId}`);
  const first = await node(page, /^decision/);
  await first.locator.focus();
  await first.locator.press("Enter");
  const context = page.getByRole("region", { name: "Context" });
  await expect(context.getByText(payload, { exact: false })).toBeVisible();
  await expect(page.locator('main img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
