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

test("a new run appears without reloading the page", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  const id = traceId();
  await withDb((c) => insertRun(c, { id, agent: "live-agent", name: "just started", status: "live", startedAgoS: 1 }));
  await expect(page.getByRole("table", { name: "Runs" }).getByRole("row").filter({ hasText: "just started" })).toContainText(
    "live",
    {
      timeout: 15_000,
    },
  );
});
