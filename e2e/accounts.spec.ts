import { expect, test } from "@playwright/test";
import { E2E } from "./env";

test("admins create users; a viewer can browse runs but not reach admin pages", async ({ page, browser }) => {
  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();
  const email = `viewer-${Date.now()}@example.com`;
  await page.getByLabel("Name", { exact: true }).fill("Vic Viewer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Initial password").fill("viewer-password-1");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("table", { name: "Users" })).toContainText(email);

  const viewer = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const vp = await viewer.newPage();
  await vp.goto(`${E2E.baseUrl}/runs`);
  await expect(vp).toHaveURL(/\/sign-in/);
  await vp.getByLabel("Email").fill(email);
  await vp.getByLabel("Password").fill("viewer-password-1");
  await vp.getByRole("button", { name: "Sign in" }).click();
  await expect(vp.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  await expect(vp.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);

  await vp.goto(`${E2E.baseUrl}/settings/users`);
  await expect(vp.getByRole("main").getByRole("alert")).toContainText("needs the admin role");
  await vp.goto(`${E2E.baseUrl}/settings/api-keys`);
  await expect(vp.getByRole("main").getByRole("alert")).toContainText("needs the admin role");
  const api = await vp.request.get(`${E2E.baseUrl}/api/v1/users`);
  expect(api.status()).toBe(403);
  await viewer.close();
});

test("an API key is shown once with the agent's environment lines, and can be revoked", async ({ page }) => {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("e2e agent");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").textContent();
  expect(key).toMatch(/^cwk_[\w-]{43}$/);
  await expect(page.getByRole("status")).toContainText(`OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer ${key}`);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);

  const row = page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: "e2e agent" });
  await expect(row).toContainText(key!.slice(0, 12));
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
});

test("signing out ends the session; a wrong password is refused with a clear message", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await ctx.newPage();
  await page.goto(`${E2E.baseUrl}/sign-in`);
  await page.getByLabel("Email").fill(E2E.admin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Wrong email or password");

  await page.getByLabel("Password").fill(E2E.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`${E2E.baseUrl}/runs`);
  await expect(page).toHaveURL(/\/sign-in/);
  await ctx.close();
});
