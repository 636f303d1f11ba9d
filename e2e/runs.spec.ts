import { expect, test } from "@playwright/test";
import { insertRun, traceId, withDb } from "./db";

test("the runs page lists runs from the database and filters by status", async ({ page }) => {
  const ok = traceId();
  const failed = traceId();
  await withDb(async (c) => {
    await insertRun(c, {
      id: ok,
      agent: "support-bot",
      name: "answer refund question",
      status: "ok",
      startedAgoS: 120,
      steps: 8,
      tokens: 4321,
    });
    await insertRun(c, {
      id: failed,
      agent: "research-agent",
      name: "compile market report",
      status: "error",
      startedAgoS: 60,
      errors: 2,
    });
  });

  await page.goto("/runs");
  const table = page.getByRole("table", { name: "Runs" });
  const okRow = table.getByRole("row").filter({ hasText: "answer refund question" });
  await expect(okRow).toContainText("support-bot");
  await expect(okRow).toContainText("ok");
  await expect(okRow).toContainText("4.3k");
  await expect(table.getByRole("row").filter({ hasText: "compile market report" })).toContainText("error");

  await page.getByRole("group", { name: "Filter by status" }).getByRole("button", { name: "error" }).click();
  await expect(page).toHaveURL(/status=error/);
  await expect(table.getByRole("row").filter({ hasText: "compile market report" })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "answer refund question" })).toHaveCount(0);
});

test("a run opens from the list with its steps and decision links", async ({ page }) => {
  const id = traceId();
  await withDb(async (c) => {
    await insertRun(c, { id, agent: "support-bot", name: "refund request", status: "ok", startedAgoS: 30 });
    const steps: [string, string | null, string, string, string | null, string | null][] = [
      ["a000000000000001", null, "agent", "invoke_agent support-bot", null, null],
      ["a000000000000002", "a000000000000001", "llm", "chat gpt-4o", null, null],
      ["a000000000000003", "a000000000000001", "tool", "lookup_order", "lookup_order", "call_1"],
    ];
    for (const [i, [span, parent, kind, name, tool, call]] of steps.entries())
      await c.query(
        `INSERT INTO steps (project_id, run_id, span_id, parent_span_id, kind, name, start_ns, end_ns, tool_name, tool_call_id, output_hashes)
         SELECT id, $1, $2, $3, $4::"StepKind", $5, $6::bigint, $6::bigint + 500000000, $7, $8, $9 FROM projects WHERE slug = 'default'`,
        [
          id,
          span,
          parent,
          kind,
          name,
          String(1_763_700_000_000_000_000n + BigInt(i) * 1_000_000_000n),
          tool,
          call,
          kind === "llm" ? ["f".repeat(64)] : [],
        ],
      );
    await c.query(
      `INSERT INTO messages (project_id, hash, role, content, byte_size)
       SELECT id, $1, 'assistant', $2::jsonb, 10 FROM projects WHERE slug = 'default' ON CONFLICT DO NOTHING`,
      [
        "f".repeat(64),
        JSON.stringify({
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", name: "lookup_order", arguments: "{}" }],
        }),
      ],
    );
  });
  await page.goto("/runs");
  await page.getByRole("link", { name: "refund request" }).click();
  await expect(page.getByRole("heading", { name: "refund request" })).toBeVisible();
  const timeline = page.getByRole("table", { name: "Timeline" });
  await expect(timeline.getByRole("row")).toHaveCount(4);
  // Rows: header, the agent, then its children by start time.
  await expect(timeline.getByRole("row").nth(1)).toContainText("invoke_agent support-bot");
  await expect(timeline.getByRole("row").nth(2)).toContainText("chat gpt-4o");
  await timeline.getByRole("row").nth(3).click();
  await expect(page).toHaveURL(/[?&]step=[0-9a-f]{16}/);
});

test("runs of one conversation form a session that opens the run list filtered to it", async ({ page }) => {
  const session = `conv-e2e-${traceId().slice(0, 8)}`;
  const [first, second, other] = [traceId(), traceId(), traceId()];
  await withDb(async (c) => {
    await insertRun(c, { id: first, agent: "concierge", name: "plan day one", status: "ok", startedAgoS: 90 });
    await insertRun(c, { id: second, agent: "concierge", name: "plan day two", status: "live", startedAgoS: 20 });
    await insertRun(c, { id: other, agent: "concierge", name: "unrelated errand", status: "ok", startedAgoS: 10 });
    // What the collector writes for spans carrying gen_ai.conversation.id.
    await c.query(`INSERT INTO sessions (project_id, id, run_count) SELECT id, $1, 2 FROM projects WHERE slug = 'default'`, [
      session,
    ]);
    await c.query(`UPDATE runs SET session_id = $1 WHERE id = ANY($2::text[])`, [session, [first, second]]);
  });

  await page.goto("/runs");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
  const row = page.getByRole("table", { name: "Sessions" }).getByRole("row").filter({ hasText: session });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("concierge");
  // Runs: 2, one of them live.
  await expect(row.getByRole("cell").nth(2)).toHaveText(/^\s*1 live\s*2\s*$/);

  await row.getByRole("link", { name: session }).click();
  await expect(page).toHaveURL(new RegExp(`/runs\\?session=${session}$`));
  const runs = page.getByRole("table", { name: "Runs" });
  await expect(runs.getByRole("row")).toHaveCount(3);
  await expect(runs.getByRole("row").filter({ hasText: "plan day one" })).toBeVisible();
  await expect(runs.getByRole("row").filter({ hasText: "plan day two" })).toBeVisible();
  await expect(page.getByText(`Session:${session}`)).toBeVisible();

  await page.getByRole("button", { name: "Remove session filter" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(runs.getByRole("row").filter({ hasText: "unrelated errand" })).toBeVisible();
  await expect(runs.getByRole("row").filter({ hasText: "plan day one" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove session filter" })).toHaveCount(0);
});

test("the run list sorts by a column header and filters by agent, both kept in the URL", async ({ page }) => {
  const tag = traceId().slice(0, 6);
  const [agent, other] = [`sorter-${tag}`, `bystander-${tag}`];
  await withDb(async (c) => {
    await insertRun(c, { id: traceId(), agent, name: `light ${tag}`, status: "ok", startedAgoS: 30, tokens: 10 });
    await insertRun(c, { id: traceId(), agent, name: `heavy ${tag}`, status: "ok", startedAgoS: 50, tokens: 9_000_000 });
    await insertRun(c, {
      id: traceId(),
      agent: other,
      name: `heaviest ${tag}`,
      status: "ok",
      startedAgoS: 40,
      tokens: 9_500_000,
    });
  });
  await page.goto("/runs");
  const table = page.getByRole("table", { name: "Runs" });
  const tokens = table.getByRole("columnheader", { name: "Tokens" });
  const names = () => table.getByRole("row").filter({ hasText: tag }).getByRole("link").allTextContents();

  await tokens.getByRole("button", { name: "Tokens" }).click();
  await expect(page).toHaveURL(/[?&]sort=tokens&order=desc/);
  await expect(tokens).toHaveAttribute("aria-sort", "descending");
  await expect(table.getByRole("row").nth(1)).toContainText(`heaviest ${tag}`);
  expect(await names()).toEqual([`heaviest ${tag}`, `heavy ${tag}`, `light ${tag}`]);

  await page.reload();
  await expect(tokens).toHaveAttribute("aria-sort", "descending");
  await expect(table.getByRole("row").nth(1)).toContainText(`heaviest ${tag}`);

  // The header is a button: Enter flips the direction.
  await tokens.getByRole("button", { name: "Tokens" }).press("Enter");
  await expect(page).toHaveURL(/[?&]sort=tokens&order=asc/);
  await expect(tokens).toHaveAttribute("aria-sort", "ascending");
  await expect(table.getByRole("columnheader", { name: "Started" })).not.toHaveAttribute("aria-sort", /./);

  await page.getByLabel("Agent").selectOption({ label: agent });
  await expect(page).toHaveURL(/[?&]agent=[0-9a-f-]{36}/);
  await expect(page).toHaveURL(/[?&]sort=tokens&order=asc/);
  await expect(table.getByRole("row").filter({ hasText: `heaviest ${tag}` })).toHaveCount(0);
  await expect(table.getByRole("row")).toHaveCount(3);
  expect(await names()).toEqual([`light ${tag}`, `heavy ${tag}`]);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/agent=/);
  await expect(page).toHaveURL(/[?&]sort=tokens&order=asc/);
  await expect(table.getByRole("row").filter({ hasText: `heaviest ${tag}` })).toBeVisible();
});
