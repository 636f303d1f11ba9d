import { parseSettings } from "@/lib/config/settings";

/** Settings of the collector process, parsed once at start-up. */
export function parseCollectorEnv(source: Record<string, string | undefined> = process.env) {
  const s = parseSettings(
    [
      "DATABASE_URL",
      "CAUSEWAY_HOST",
      "CAUSEWAY_COLLECTOR_PORT",
      "CAUSEWAY_INGEST_KEY",
      "CAUSEWAY_LOG_LEVEL",
      "CAUSEWAY_SHUTDOWN_TIMEOUT_MS",
      "CAUSEWAY_MAX_BODY_BYTES",
      "CAUSEWAY_MAX_VALUE_BYTES",
      "CAUSEWAY_REDACT",
      "CAUSEWAY_REDACT_PATTERNS",
      "CAUSEWAY_INGEST_MAX_QUEUED_SPANS",
      "CAUSEWAY_INGEST_MAX_QUEUED_BYTES",
      "CAUSEWAY_INGEST_BATCH_SPANS",
      "CAUSEWAY_INGEST_FLUSH_MS",
      "CAUSEWAY_INGEST_WORKER",
      "CAUSEWAY_RUN_IDLE_SECONDS",
      "CAUSEWAY_DRIFT",
      "CAUSEWAY_DRIFT_DEBOUNCE_MS",
      "CAUSEWAY_DRIFT_THRESHOLDS",
      "CAUSEWAY_POLICY_FILE",
      "CAUSEWAY_CONTROL_HEARTBEAT_MS",
      "CAUSEWAY_CONTROL_RECHECK_MS",
    ] as const,
    source,
  );
  if (!s.DATABASE_URL)
    throw new Error("DATABASE_URL is not set: start the collector with `npm start`, which provides the database.");
  return { ...s, DATABASE_URL: s.DATABASE_URL };
}
export type CollectorEnv = ReturnType<typeof parseCollectorEnv>;
