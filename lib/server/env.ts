import { parseSettings } from "@/lib/config/settings";

/** Settings of the web process, parsed once (instrumentation.ts calls this at start-up to fail fast). */
const NAMES = [
  "DATABASE_URL",
  "CAUSEWAY_WEB_PORT",
  "CAUSEWAY_PUBLIC_URL",
  "CAUSEWAY_COLLECTOR_URL",
  "CAUSEWAY_COLLECTOR_PORT",
  "CAUSEWAY_ADMIN_TOKEN",
  "CAUSEWAY_INGEST_KEY",
  "CAUSEWAY_SETUP_CODE",
  "CAUSEWAY_SESSION_DAYS",
  "CAUSEWAY_LOG_LEVEL",
] as const;

export type WebEnv = ReturnType<typeof parseWebEnv>;

function parseWebEnv(source: Record<string, string | undefined>) {
  const s = parseSettings(NAMES, source);
  if (!s.DATABASE_URL)
    throw new Error("DATABASE_URL is not set: start Causeway with `npm start`, which provides the database to the web app.");
  return {
    ...s,
    DATABASE_URL: s.DATABASE_URL,
    publicUrl: new URL(s.CAUSEWAY_PUBLIC_URL ?? `http://localhost:${s.CAUSEWAY_WEB_PORT}`),
    collectorUrl: s.CAUSEWAY_COLLECTOR_URL ?? `http://localhost:${s.CAUSEWAY_COLLECTOR_PORT}`,
  };
}

let cached: WebEnv | undefined;
export function webEnv(): WebEnv {
  cached ??= parseWebEnv(process.env);
  return cached;
}
