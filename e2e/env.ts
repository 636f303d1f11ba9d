import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * One Causeway instance for the e2e run, on its own ports and a fresh data
 * directory (so the first-run flow is real). Values are fixed per Playwright run:
 * the config and the test workers read them from the environment the config sets.
 */
const dataDir = (process.env.CAUSEWAY_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "causeway-e2e-")));
const webPort = Number((process.env.CAUSEWAY_E2E_WEB_PORT ??= "3107"));
const dbPort = Number((process.env.CAUSEWAY_E2E_DB_PORT ??= "54407"));
const collectorPort = Number((process.env.CAUSEWAY_E2E_COLLECTOR_PORT ??= "4407"));
const ingestKey = "e2e-ingest-key-0123456789abcdef";

export const E2E = {
  baseUrl: `http://localhost:${webPort}`,
  collectorUrl: `http://127.0.0.1:${collectorPort}`,
  /** What an instrumented agent sends (OTEL_EXPORTER_OTLP_HEADERS). */
  ingestHeaders: { authorization: `Bearer ${ingestKey}` },
  databaseUrl: `postgresql://postgres@127.0.0.1:${dbPort}/postgres?sslmode=disable`,
  adminState: path.join(dataDir, "admin-state.json"),
  setupCode: "e2e-setup-code",
  admin: { name: "Ada Admin", email: "ada@example.com", password: "correct-horse-42" },
  serverEnv: {
    CAUSEWAY_DATA_DIR: dataDir,
    CAUSEWAY_WEB_PORT: String(webPort),
    CAUSEWAY_COLLECTOR_PORT: String(collectorPort),
    CAUSEWAY_INGEST_KEY: ingestKey,
    CAUSEWAY_EMBEDDED_DB_PORT: String(dbPort),
    CAUSEWAY_SETUP_CODE: "e2e-setup-code",
    CAUSEWAY_PUBLIC_URL: `http://localhost:${webPort}`,
    CAUSEWAY_ADMIN_TOKEN: "",
    DATABASE_URL: "",
  } as Record<string, string>,
};
