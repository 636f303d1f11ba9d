import { parseSettings } from "@/lib/config/settings";

/** Settings of the `npm start` supervisor, parsed once at start-up. */
export function parseStartEnv(source: Record<string, string | undefined> = process.env) {
  const s = parseSettings(
    [
      "DATABASE_URL",
      "CAUSEWAY_DATA_DIR",
      "CAUSEWAY_EMBEDDED_DB_PORT",
      "CAUSEWAY_HOST",
      "CAUSEWAY_WEB_PORT",
      "CAUSEWAY_COLLECTOR_PORT",
      "CAUSEWAY_PUBLIC_URL",
      "CAUSEWAY_COLLECTOR_URL",
      "CAUSEWAY_ADMIN_TOKEN",
      "CAUSEWAY_INGEST_KEY",
      "CAUSEWAY_SETUP_CODE",
      "CAUSEWAY_LOG_LEVEL",
      "CAUSEWAY_SHUTDOWN_TIMEOUT_MS",
    ] as const,
    source,
  );
  return {
    ...s,
    publicUrl: s.CAUSEWAY_PUBLIC_URL ?? `http://localhost:${s.CAUSEWAY_WEB_PORT}`,
    collectorUrl: s.CAUSEWAY_COLLECTOR_URL ?? `http://localhost:${s.CAUSEWAY_COLLECTOR_PORT}`,
  };
}
export type StartEnv = ReturnType<typeof parseStartEnv>;

/**
 * Settings of `npm run demo`: where the local collector and UI are (as `npm start` computes them), the local
 * ingest key, and the standard OTLP exporter variables, which win when set.
 */
export function parseDemoEnv(source: Record<string, string | undefined> = process.env) {
  const s = parseSettings(
    [
      "CAUSEWAY_DATA_DIR",
      "CAUSEWAY_WEB_PORT",
      "CAUSEWAY_COLLECTOR_PORT",
      "CAUSEWAY_PUBLIC_URL",
      "CAUSEWAY_COLLECTOR_URL",
      "CAUSEWAY_INGEST_KEY",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_HEADERS",
    ] as const,
    source,
  );
  return {
    ...s,
    publicUrl: s.CAUSEWAY_PUBLIC_URL ?? `http://localhost:${s.CAUSEWAY_WEB_PORT}`,
    collectorUrl: s.CAUSEWAY_COLLECTOR_URL ?? `http://localhost:${s.CAUSEWAY_COLLECTOR_PORT}`,
  };
}
export type DemoEnv = ReturnType<typeof parseDemoEnv>;
