import { expect, test, type Page } from "@playwright/test";
import { runSupportAgent } from "@/demo/agents";
import { E2E } from "./env";
import { AgentProcess } from "./fixtures/agent-process";

/**
 * Live control from the browser, against a real agent process (e2e/fixtures/controlled-agent.ts:
 * OpenTelemetry-instrumented, connected with the control client, a slow tool that honours the
 * kill signal) through the real collector and web app that `npm start` runs.
 */
const collector = { endpoint: E2E.collectorUrl, apiKey: E2E.ingestHeaders.authorization.replace(/^Bearer /, "") };

function runPage(page: Page) {
  const control = page.getByRole("region", { name: "Live control" });
  return {
    control,
    /** The run's status badge in its header. */
    status: (text: string) =>
      page
        .locator("header")
        .filter({ has: page.getByRole("heading", { level: 1 }) })
        .getByText(text, { exact: true }),
    state: control.getByRole("status", { name: "Control state", exact: true }),
    connected: control.locator('[data-connected="true"]'),
    progress: control.getByRole("list", { name: "Command progress" }),
    history: control.getByRole("table", { name: "Control history" }),
    timeline: page.getByRole("table", { name: "Timeline" }),
  };
}

test("Kill in the browser aborts the agent's call in flight, and the run shows it killed at that step", async ({ page }) => {
  const agent = new AgentProcess(collector, { iterations: 4, toolMs: 8_000 });
  try {
    const runId = await agent.started();
    await page.goto(`/runs/${runId}`);
    const ui = runPage(page);
    await expect(ui.connected).toBeVisible();
    const kill = ui.control.getByRole("button", { name: "Kill run…" });
    await expect(kill).toBeEnabled();
    const tool = await agent.waitFor((e) => e.event === "step" && e.kind === "execute_tool");

    // The dialog asks for a reason; Esc cancels it and nothing is sent.
    await kill.click();
    const dialog = page.getByRole("dialog", { name: "Kill this run?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await page.keyboard.press("Shift+Tab"); // focus stays in the dialog
    await expect(dialog.getByRole("button", { name: "Kill run", exact: true })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(ui.state).toHaveAttribute("data-version", "0");

    await kill.click();
    await dialog.getByLabel("Reason").fill("e2e: stuck retrying the same batch");
    await dialog.getByRole("button", { name: "Kill run", exact: true }).click();
    const confirmedAt = Date.now();
    await expect(dialog).toBeHidden();

    // The agent: the call in flight is aborted, nothing starts after it, the process ends with RunKilledError.
    const aborted = await agent.waitFor((e) => e.event === "aborted");
    expect(aborted).toMatchObject({ n: tool.n, name: "execute_tool slow_task" });
    expect(aborted.at - confirmedAt).toBeLessThan(2_000);
    expect(await agent.exited()).toBe(1);
    expect(agent.stderr).toMatch(/RunKilledError: Run [0-9a-f]{32} was killed by .*: e2e: stuck retrying the same batch/);
    expect(agent.events.find((e) => e.event === "exited")).toMatchObject({ code: 1, error: "RunKilledError" });
    const after = agent.events.slice(agent.events.indexOf(aborted));
    expect(after.filter((e) => e.event === "step")).toEqual([]);
    expect(agent.events.filter((e) => e.event === "step").at(-1)).toBe(tool);

    // The run page, without a reload: killed, applied, at the tool step, which the timeline marks.
    await expect(ui.status("killed")).toBeVisible();
    await expect(ui.state).toHaveAttribute("data-desired", "killed");
    await expect(ui.progress.locator('[data-stage="applied"]')).toHaveAttribute("data-done", "true");
    const row = ui.history.locator('tr[data-action="kill"]');
    await expect(row).toHaveAttribute("data-status", "applied");
    await expect(row).toContainText("e2e: stuck retrying the same batch");
    await expect(row).toContainText(E2E.admin.email);
    const marked = ui.timeline.getByRole("row").filter({ hasText: /killed/ });
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText("slow_task");
    const spanId = (await marked.getAttribute("data-span-id"))!;
    await ui.progress.getByRole("button", { name: "slow_task" }).click();
    await expect(page).toHaveURL(new RegExp(`step=${spanId}`));
    await expect(page.getByRole("complementary", { name: "Selected step" })).toHaveAttribute("data-selected-step", spanId);

    // A kill is final: the buttons say so.
    await expect(kill).toBeDisabled();
    await expect(ui.control).toContainText("a kill cannot be undone");
  } finally {
    agent.stop();
  }
});

test("Pause holds the agent at its next checkpoint; Resume lets it finish", async ({ page }) => {
  const agent = new AgentProcess(collector, { iterations: 3, toolMs: 1_500 });
  try {
    const runId = await agent.started();
    await page.goto(`/runs/${runId}`);
    const ui = runPage(page);
    await expect(ui.connected).toBeVisible();
    await agent.waitFor((e) => e.event === "step" && e.kind === "execute_tool");
    await ui.control.getByRole("button", { name: "Pause run" }).click();

    const waiting = await agent.waitFor((e) => e.event === "paused-waiting");
    await expect(ui.state).toHaveAttribute("data-desired", "paused");
    await expect(ui.progress.locator('[data-stage="applied"]')).toHaveAttribute("data-done", "true");
    await expect(ui.status("paused")).toBeVisible();
    // Held: nothing starts while the run is paused.
    await page.waitForTimeout(800);
    const since = agent.events.slice(agent.events.indexOf(waiting));
    expect(since.filter((e) => e.event === "step")).toEqual([]);

    await ui.control.getByRole("button", { name: "Resume run" }).click();
    await agent.waitFor((e) => e.event === "resumed");
    expect(await agent.exited()).toBe(0);
    expect(agent.events.filter((e) => e.event === "step" && e.kind === "execute_tool")).toHaveLength(3);

    await expect(ui.status("ok")).toBeVisible();
    await expect(ui.history.locator('tr[data-action="pause"]')).toHaveAttribute("data-status", "applied");
    await expect(ui.history.locator('tr[data-action="resume"]')).toHaveAttribute("data-status", "applied");
    // Paused and resumed at the same step: the one that waited at its checkpoint.
    const marked = ui.timeline.getByRole("row").filter({ hasText: "paused, resumed" });
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText(waiting.name === "chat gpt-4.1" ? "gpt-4.1" : "slow_task");
  } finally {
    agent.stop();
  }
});

test("commands are off, with the reason, for a run without a control client and for a viewer", async ({ page, browser }) => {
  const finished = await runSupportAgent({
    endpoint: E2E.collectorUrl,
    headers: E2E.ingestHeaders,
    scenario: "where-is-my-order",
    timeScale: 0.03,
  });
  await page.goto(`/runs/${finished.runId}`);
  let ui = runPage(page);
  await expect(ui.control).toContainText("no control client connected");
  await expect(ui.control.getByRole("button", { name: "Kill run…" })).toBeDisabled();
  await expect(ui.control.getByRole("button", { name: "Pause run" })).toBeDisabled();
  await expect(ui.control).toContainText("No control client of this run is connected, so the agent cannot receive commands.");

  const email = `viewer-control-${Date.now()}@example.com`;
  const password = "viewer-password-1";
  const created = await page.request.post("/api/v1/users", {
    data: { name: "Val Viewer", email, password, role: "viewer" },
    headers: { origin: E2E.baseUrl },
  });
  expect(created.status()).toBe(201);
  const viewer = await browser.newContext({ storageState: { cookies: [], origins: [] }, baseURL: E2E.baseUrl });
  const agent = new AgentProcess(collector, { iterations: 2, toolMs: 10_000 });
  try {
    const signedIn = await viewer.request.post("/api/auth/sign-in", {
      data: { email, password },
      headers: { origin: E2E.baseUrl },
    });
    expect(signedIn.ok()).toBe(true);
    const runId = await agent.started();
    const vp = await viewer.newPage();
    await vp.goto(`/runs/${runId}`);
    ui = runPage(vp);
    // A live run with its client connected, yet a viewer may not command it.
    await expect(ui.connected).toBeVisible();
    for (const name of ["Kill run…", "Pause run", "Kill agent…", "Pause agent"])
      await expect(ui.control.getByRole("button", { name })).toBeDisabled();
    await expect(ui.control).toContainText("Kill, pause and resume need the operator role (you are a viewer).");
    const refused = await vp.request.post(`/api/v1/runs/${runId}/control`, {
      data: { action: "kill", reason: "not allowed" },
      headers: { origin: E2E.baseUrl },
    });
    expect(refused.status()).toBe(403);
  } finally {
    agent.stop();
    await viewer.close();
  }
});

test("an agent-wide pause holds its live run, resume lets it go on, and an agent kill stops it", async ({ page }) => {
  const agent = new AgentProcess(collector, { iterations: 12, toolMs: 1_000 });
  try {
    const runId = await agent.started();
    await page.goto(`/runs/${runId}`);
    const ui = runPage(page);
    const agentGroup = ui.control.getByRole("group", { name: "Agent control" });
    await expect(ui.connected).toBeVisible();
    await expect(agentGroup).toContainText("1 live run, 1 connected");

    await agentGroup.getByRole("button", { name: "Pause agent" }).click();
    const waiting = await agent.waitFor((e) => e.event === "paused-waiting");
    await expect(ui.state).toHaveAttribute("data-desired", "paused");
    await expect(ui.control.getByRole("button", { name: "Pause run" })).toBeDisabled();
    await expect(ui.control).toContainText("Paused through its agent: resume the agent to let this run continue.");
    await agentGroup.getByRole("button", { name: "Resume agent" }).click();
    await agent.waitFor((e) => e.event === "resumed", 10_000, agent.events.indexOf(waiting));

    await agentGroup.getByRole("button", { name: "Kill agent…" }).click();
    const dialog = page.getByRole("dialog", { name: "Kill agent controlled-agent?" });
    await dialog.getByLabel("Reason").fill("e2e: the whole agent misbehaves");
    await dialog.getByRole("button", { name: "Kill agent", exact: true }).click();
    expect(await agent.exited()).toBe(1);
    expect(agent.stderr).toContain("e2e: the whole agent misbehaves");

    await expect(agentGroup.getByRole("status", { name: "Agent control state" })).toHaveAttribute("data-desired", "killed");
    await expect(agentGroup).toContainText("New runs of this agent are refused until it is resumed.");
    await expect(ui.state).toHaveAttribute("data-desired", "killed");
    const row = ui.history.locator('tr[data-action="kill"]');
    await expect(row).toContainText("via agent");
    await expect(row).toHaveAttribute("data-status", "applied");
    await expect(ui.status("killed")).toBeVisible();
    // Resuming the agent lifts the refusal of new runs; the run it killed stays killed.
    await agentGroup.getByRole("button", { name: "Resume agent" }).click();
    await expect(agentGroup.getByRole("status", { name: "Agent control state" })).toHaveAttribute("data-desired", "running");
    await expect(ui.state).toHaveAttribute("data-desired", "killed");
  } finally {
    agent.stop();
  }
});
