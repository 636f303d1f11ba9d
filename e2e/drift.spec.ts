import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { LOOP, runLoopAgent } from "@/demo/agents";
import { E2E } from "./env";
import { AgentProcess } from "./fixtures/agent-process";
import { holdBeforeStep } from "./fixtures/step-gate";

/**
 * Drift detection, runtime policies and drift search with real agents: the loop demo agent (Vercel AI SDK, real
 * OTLP) and a controlled agent process (e2e/fixtures/controlled-agent.ts, with the control client) send their spans
 * through the collector `npm start` runs; the detectors run there, and the browser shows what they found.
 *
 * The loop agent's steps, by start time: 1 its run (`deal-finder`, the AI SDK's ai.streamText span), then a model
 * call and a search_web call per turn — 2, 3 (1st search_web), 4, 5 (2nd), 6, 7 (3rd), … The loop detector
 * (lib/drift/loop.ts) places a repeat's drift point at its `minRepeats`-th identical call (3 by default): the third
 * search_web, step 7 of the finished run, and 7th on its decision path (the run's own step is on it too). While the
 * run is live its own span has not arrived yet (a span is exported when it ends, and it ends last), so the same call
 * is step 6 of the steps received so far: step numbers follow the steps the run has.
 */
const loopAgent = { endpoint: E2E.collectorUrl, headers: E2E.ingestHeaders, timeScale: 0.05 };
const collector = { endpoint: E2E.collectorUrl, apiKey: E2E.ingestHeaders.authorization.replace(/^Bearer /, "") };
const THIRD_SEARCH = { step: 7, onDecisionPath: 7, stepWhileLive: 6 };

function runPage(page: Page) {
  const control = page.getByRole("region", { name: "Live control" });
  const timeline = page.getByRole("table", { name: "Timeline" });
  return {
    /** The run's status badge in its header. */
    status: (text: string) =>
      page
        .locator("header")
        .filter({ has: page.getByRole("heading", { level: 1 }) })
        .getByText(text, { exact: true }),
    drift: page.getByRole("list", { name: "Drift points" }),
    timeline,
    /** Timeline rows of one tool's calls, in order. */
    calls: (tool: string) => timeline.getByRole("row").filter({ has: page.getByRole("button", { name: tool, exact: true }) }),
    /** Timeline rows marked as drift points. */
    drifted: timeline.getByRole("row").filter({ has: page.getByText("drift", { exact: true }) }),
    selected: page.getByRole("complementary", { name: "Selected step" }),
    replay: page.getByRole("toolbar", { name: "Replay" }),
    control,
    state: control.getByRole("status", { name: "Control state", exact: true }),
    connected: control.locator('[data-connected="true"]'),
    history: control.getByRole("table", { name: "Control history" }),
  };
}

/** The loop agent's drift point (GET /api/v1/runs/{id}/drift), once the collector has stored it. */
async function loopDriftPoint(page: Page, runId: string, count: number): Promise<{ spanId: string }> {
  let found: { spanId: string } | undefined;
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/v1/runs/${runId}/drift`);
      if (!res.ok()) return `HTTP ${res.status()}`;
      const body = (await res.json()) as { driftPoints: { spanId: string; detector: string; summary: string }[] };
      found = body.driftPoints.find((d) => d.detector === "loop" && d.summary.startsWith(`${LOOP.tool} called ${count}×`));
      return found ? "found" : JSON.stringify(body.driftPoints.map((d) => d.summary));
    })
    .toBe("found");
  return found!;
}

test("the demo agent that loops is flagged at the right step while it runs", async ({ page }) => {
  // Held before its 7th model or tool call (the model call after the third identical search_web): live, with the
  // loop just found.
  const gate = holdBeforeStep(7);
  const stop = new AbortController();
  let runId = "";
  const run = runLoopAgent({
    ...loopAgent,
    repeats: 5,
    signal: stop.signal,
    hooks: { onRunStarted: (id) => void (runId = id), beforeStep: gate.beforeStep },
  });
  try {
    await Promise.race([
      gate.reached,
      run.then(() => Promise.reject(new Error("the loop agent ended before its third search_web call"))),
    ]);
    // Its spans so far are on their way (batched every 250 ms): open the run once the collector has it.
    await expect.poll(async () => (await page.request.get(`/api/v1/runs/${runId}`)).status()).toBe(200);
    await page.goto(`/runs/${runId}`);
    const ui = runPage(page);
    await expect(ui.status("live")).toBeVisible();

    // The finding shows up on the live run page (no reload), as a medium loop of three identical calls.
    const finding = ui.drift.locator("li[data-drift-id]").filter({ hasText: `${LOOP.tool} called 3×` });
    await expect(finding).toHaveCount(1);
    await expect(finding).toContainText("loop");
    await expect(finding).toContainText("same result each time");
    await expect(finding.locator("[data-severity]")).toHaveAttribute("data-severity", "medium");
    // The agent is still held: the run is live while the finding is on screen.
    await expect(ui.status("live")).toBeVisible();

    // Anchored at the third identical search_web call: the timeline marks that row, and only it, and the finding
    // names its step number.
    const searches = ui.calls(LOOP.tool);
    await expect(searches).toHaveCount(3);
    const third = (await searches.nth(2).getAttribute("data-span-id"))!;
    expect(third).toMatch(/^[0-9a-f]{16}$/);
    await expect(ui.drifted).toHaveCount(1);
    await expect(ui.drifted).toHaveAttribute("data-span-id", third);
    await expect(searches.nth(2)).toHaveAttribute("aria-rowindex", String(THIRD_SEARCH.stepWhileLive));
    const goTo = finding.getByRole("button", { name: /^step \d+ →$/ });
    await expect(goTo).toHaveText(`step ${THIRD_SEARCH.stepWhileLive} →`);
    await expect(goTo).toHaveAttribute("title", LOOP.tool);
    // The finding's step button opens that step.
    await goTo.click();
    await expect(page).toHaveURL(new RegExp(`step=${third}`));
    await expect(ui.selected).toHaveAttribute("data-selected-step", third);
    await expect(finding).toHaveAttribute("aria-current", "step");

    // Let it finish: the same drift point grows with the loop (five calls, now high) and stays at the third call.
    const id = (await finding.getAttribute("data-drift-id"))!;
    gate.release();
    await run;
    await expect(ui.status("ok")).toBeVisible();
    const grown = ui.drift.locator(`li[data-drift-id="${id}"]`);
    await expect(grown).toContainText(`${LOOP.tool} called 5×`);
    await expect(grown.locator("[data-severity]")).toHaveAttribute("data-severity", "high");
    await expect(ui.drift.locator("li[data-drift-id]")).toHaveCount(1);
    await expect(ui.drifted).toHaveAttribute("data-span-id", third);
    // Now that the run's own step has arrived, the third search_web is step 7.
    await expect(grown.getByRole("button", { name: /^step \d+ →$/ })).toHaveText(`step ${THIRD_SEARCH.step} →`);
  } finally {
    gate.release();
    stop.abort();
    await run.catch(() => {}); // aborted when the test failed: its spans are still flushed
  }
});

test("a policy set to pause stops a live agent when it fires", async ({ page }) => {
  const agentName = `policy-e2e-${randomBytes(4).toString("hex")}`;
  const policyPath = `/api/v1/policies/${agentName}`;

  // In the browser: a policy for this agent only, allowing tools it does not use, pausing the run on a violation.
  await page.goto("/settings/policies");
  await page.getByRole("button", { name: "New policy" }).click();
  const form = page.getByRole("form", { name: "New policy" });
  await form.getByLabel("Agent (service.name)").fill(agentName);
  await form.getByLabel("Allowed tools").fill("lookup_order\nsend_reply");
  await form.getByRole("button", { name: "Add rule" }).click();
  const rule = form.getByRole("group", { name: "Rule 1" });
  await rule.getByLabel("Detector").selectOption("policy");
  await rule.getByLabel("Minimum severity").selectOption("high");
  await rule.getByLabel("Action").selectOption("pause");
  await form.getByRole("button", { name: "Save policy" }).click();
  await expect(form).toBeHidden();
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: agentName }) });
  await expect(card.getByRole("region", { name: "Actions" })).toContainText("policy violation");
  await expect(card.getByRole("region", { name: "Actions" })).toContainText("pause the run");
  const saved = await page.request.get(policyPath);
  expect(saved.status()).toBe(200);
  expect(await saved.json()).toMatchObject({
    policy: {
      agent: agentName,
      source: "ui",
      policy: {
        allowTools: ["lookup_order", "send_reply"],
        actions: [{ detector: "policy", minSeverity: "high", action: "pause" }],
      },
    },
  });

  // Its first slow_task call is outside the allow-list: once that span arrives, the policy pauses the run.
  const agent = new AgentProcess(collector, { serviceName: agentName, iterations: 6, toolMs: 800 });
  try {
    const runId = await agent.started();
    await page.goto(`/runs/${runId}`);
    const ui = runPage(page);
    await expect(ui.connected).toBeVisible();
    const violation = await agent.waitFor((e) => e.event === "step" && e.kind === "execute_tool");
    const waiting = await agent.waitFor((e) => e.event === "paused-waiting", 15_000);
    expect(agent.events.indexOf(waiting)).toBeGreaterThan(agent.events.indexOf(violation));

    // The run page, without a reload: paused, by the policy, for the finding at the first slow_task call.
    await expect(ui.status("paused")).toBeVisible();
    await expect(ui.state).toHaveAttribute("data-desired", "paused");
    const pause = ui.history.locator('tr[data-action="pause"]');
    await expect(pause).toHaveCount(1);
    await expect(pause).toHaveAttribute("data-status", "applied");
    await expect(pause).toContainText(`policy "${agentName}" (policy ≥ high)`);
    await expect(pause).toContainText("slow_task");
    const finding = ui.drift.locator("li[data-drift-id]").filter({ hasText: "policy" });
    await expect(finding).toHaveCount(1);
    await expect(finding).toContainText("slow_task");
    const firstCall = (await ui.calls("slow_task").first().getAttribute("data-span-id"))!;
    await expect(ui.drifted).toHaveAttribute("data-span-id", firstCall);

    // Held: the agent started nothing while paused, then went on with the very step it was held at.
    await ui.control.getByRole("button", { name: "Resume run" }).click();
    const resumed = await agent.waitFor((e) => e.event === "resumed", 10_000, agent.events.indexOf(waiting));
    const from = agent.events.indexOf(waiting);
    const to = agent.events.indexOf(resumed);
    expect(agent.events.slice(from, to).filter((e) => e.event === "step")).toEqual([]);
    expect(resumed.n).toBe(waiting.n);
    expect(await agent.exited()).toBe(0);
    expect(agent.events[to + 1]).toMatchObject({ event: "step", n: waiting.n, name: waiting.name });
    expect(agent.events.filter((e) => e.event === "step" && e.kind === "execute_tool")).toHaveLength(6);

    await expect(ui.status("ok")).toBeVisible();
    const resume = ui.history.locator('tr[data-action="resume"]');
    await expect(resume).toHaveAttribute("data-status", "applied");
    await expect(resume).toContainText(E2E.admin.email);
    // The same finding does not pause the run again after the operator resumed it.
    await expect(ui.history.locator('tr[data-action="pause"]')).toHaveCount(1);
  } finally {
    agent.stop();
    await page.request.delete(policyPath, { headers: { origin: E2E.baseUrl } });
  }
});

test("search finds the run; clicking the result opens replay at the drift point", async ({ page }) => {
  const { runId } = await runLoopAgent({ ...loopAgent, repeats: 4 });
  const drift = await loopDriftPoint(page, runId, 4);

  await page.goto("/search");
  const query = page.getByRole("combobox", { name: "Search query" });
  await query.fill(`drift:loop agent:${LOOP.service}`);
  await query.press("Enter"); // with no suggestion chosen, Enter searches
  await expect(page).toHaveURL(/\/search\?q=drift%3Aloop\+agent%3Atravel-planner$/);
  const result = page.getByRole("list", { name: "Search results" }).locator(`li[data-run-id="${runId}"]`);
  await expect(result).toHaveCount(1);
  await expect(result).toHaveAttribute("data-span-id", drift.spanId);
  await expect(result).toContainText("loop");
  await expect(result).toContainText(`${LOOP.tool} called 4×`);
  await expect(result).toContainText(LOOP.service);
  await expect(result.locator("[data-severity]")).toHaveAttribute("data-severity", "medium");

  await result.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/runs/${runId}\\?step=${drift.spanId}$`));
  const ui = runPage(page);
  // Replay opens at the drift point: the third identical search_web call, selected everywhere.
  await expect(ui.selected).toHaveAttribute("data-selected-step", drift.spanId);
  const searches = ui.calls(LOOP.tool);
  await expect(searches).toHaveCount(4);
  await expect(searches.nth(2)).toHaveAttribute("data-span-id", drift.spanId);
  await expect(searches.nth(2)).toHaveAttribute("aria-selected", "true");
  await expect(ui.replay).toContainText(`Step ${THIRD_SEARCH.onDecisionPath} of`);
  await expect(ui.replay.getByRole("button", { name: "Previous drift point" })).toBeDisabled();
  await expect(ui.replay.getByRole("button", { name: "Next drift point" })).toBeDisabled();
  const finding = ui.drift.locator("li[data-drift-id]");
  await expect(finding).toHaveCount(1);
  await expect(finding).toHaveAttribute("aria-current", "step");
  await expect(finding.getByRole("button", { name: /^step \d+ →$/ })).toHaveText(`step ${THIRD_SEARCH.step} →`);
});
