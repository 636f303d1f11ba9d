import { expect, test } from "@playwright/test";
import { E2E } from "./env";

test("first run: a fresh instance asks for the first admin, then signs them in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Causeway" })).toBeVisible();

  await page.getByLabel("Name").fill(E2E.admin.name);
  await page.getByLabel("Email").fill(E2E.admin.email);
  await page.getByLabel("Password").fill(E2E.admin.password);
  await page.getByLabel("Setup code").fill("wrong-code");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Wrong setup code");

  await page.getByLabel("Setup code").fill(E2E.setupCode);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole("heading", { name: "Runs", exact: true })).toBeVisible();
  await page.context().storageState({ path: E2E.adminState });

  // Setup is closed once an admin exists.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/runs$/);
});
