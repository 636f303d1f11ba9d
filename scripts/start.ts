import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@/lib/log";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded";
import { migrate } from "@/lib/server/db/migrate";
import { createPrisma } from "@/lib/server/db/prisma";
import { parseStartEnv } from "@/scripts/env";
import { localIngestKey, setupCode } from "@/scripts/bootstrap";
import { Supervisor } from "@/scripts/supervisor";
import { buildIsCurrent, markBuilt, sourceFingerprint } from "@/scripts/web-build";
import { buildCollector } from "@/scripts/collector-build";

/**
 * `npm start`: database (embedded unless DATABASE_URL) -> migrations -> web build if
 * stale, collector bundle -> collector + web under supervision -> the lines an agent needs.
 * `--dev` runs `next dev` and the collector's TypeScript sources instead of the builds.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");

async function main(): Promise<void> {
  const env = parseStartEnv();
  const log = createLogger("causeway", env.CAUSEWAY_LOG_LEVEL);
  const dataDir = path.resolve(root, env.CAUSEWAY_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const embedded = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pgdata"), port: env.CAUSEWAY_EMBEDDED_DB_PORT });
  const databaseUrl = env.DATABASE_URL ?? embedded!.url;
  log.info(
    embedded ? `embedded Postgres (PGlite) on ${embedded.url}, data in ${path.join(dataDir, "pgdata")}` : "using DATABASE_URL",
  );

  const { applied } = await migrate(databaseUrl, { log: (m) => log.info(m) });
  if (applied.length === 0) log.info("database schema is up to date");

  const db = createPrisma(databaseUrl, { max: 2 });
  const ingestKey = await localIngestKey(db, dataDir, env.CAUSEWAY_INGEST_KEY);
  const code = env.CAUSEWAY_ADMIN_TOKEN ? env.CAUSEWAY_SETUP_CODE : await setupCode(db, env.CAUSEWAY_SETUP_CODE);
  await db.$disconnect();

  if (!dev) buildWebIfStale(log);
  const collectorArgs = dev ? ["--import", "tsx", path.join(root, "collector/main.ts")] : (await buildCollector(root)).nodeArgs;

  let exitCode = 0;
  const shutdown = async (reason: string) => {
    log.info(`${reason}: shutting down`);
    await supervisor.stopAll();
    await embedded?.stop();
    log.info("stopped");
    process.exit(exitCode);
  };
  const supervisor = new Supervisor(log, {
    timeoutMs: env.CAUSEWAY_SHUTDOWN_TIMEOUT_MS,
    onGiveUp: () => {
      exitCode = 1;
      void shutdown("a process keeps crashing");
    },
  });
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CAUSEWAY_PUBLIC_URL: env.publicUrl,
    CAUSEWAY_COLLECTOR_URL: env.collectorUrl,
    ...(code ? { CAUSEWAY_SETUP_CODE: code } : {}),
  };
  supervisor.start({
    name: "collector",
    command: process.execPath,
    args: collectorArgs,
    env: childEnv,
  });
  const next = path.join(root, "node_modules/next/dist/bin/next");
  supervisor.start({
    name: "web",
    command: process.execPath,
    args: [next, dev ? "dev" : "start", "-p", String(env.CAUSEWAY_WEB_PORT), "-H", env.CAUSEWAY_HOST],
    env: { ...childEnv, NODE_ENV: dev ? "development" : "production" },
  });

  await Promise.all([
    waitFor(`http://127.0.0.1:${env.CAUSEWAY_WEB_PORT}/api/health`, 120_000),
    waitFor(`http://127.0.0.1:${env.CAUSEWAY_COLLECTOR_PORT}/healthz`, 60_000),
  ]);
  printBanner({ ...env, ingestKey, code });
}

function buildWebIfStale(log: ReturnType<typeof createLogger>): void {
  if (buildIsCurrent(root)) return;
  log.info("building the web app (first start or sources changed; takes a minute)…");
  const fingerprint = sourceFingerprint(root);
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
  markBuilt(root, fingerprint);
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

function printBanner(o: ReturnType<typeof parseStartEnv> & { ingestKey: string | null; code?: string }): void {
  const key = o.ingestKey ?? "<an ingest key from Settings → API keys>";
  const lines = [
    "",
    "  Causeway is running",
    "",
    `  UI             ${o.publicUrl}`,
    `  OTLP endpoint  ${o.collectorUrl}  (POST /v1/traces)`,
    "",
    "  Point an instrumented agent at it:",
    "",
    `    OTEL_EXPORTER_OTLP_ENDPOINT=${o.collectorUrl}`,
    `    OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer ${key}`,
    "",
  ];
  if (o.code) lines.push("  First run: create the admin account at", `    ${o.publicUrl}/setup?code=${o.code}`, "");
  else if (o.CAUSEWAY_ADMIN_TOKEN) lines.push("  Sign in with the admin token (CAUSEWAY_ADMIN_TOKEN) or an account.", "");
  lines.push("  Ctrl-C stops everything.", "");
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`\nCauseway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
