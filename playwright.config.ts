import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/env";

/**
 * End-to-end tests drive the real stack: `npm start` (scripts/start.ts) on a fresh
 * embedded database in a temporary directory, a production Next build, real Chromium.
 *
 * Browser: CHROMIUM_PATH, else the system Chromium (/usr/bin/chromium) when present,
 * else Playwright's own (`npx playwright install chromium`).
 */
const systemChromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: E2E.baseUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: systemChromium
        ? [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ]
        : [],
    },
  },
  projects: [
    { name: "setup", testMatch: /first-run\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], storageState: E2E.adminState }, dependencies: ["setup"] },
  ],
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${E2E.baseUrl}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: E2E.serverEnv,
  },
});
