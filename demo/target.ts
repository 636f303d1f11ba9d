import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Where `npm run demo` sends its runs, found the way `npm start` announces them: the collector URL, and the ingest
 * key from CAUSEWAY_INGEST_KEY or the key file `npm start` keeps in the data directory (scripts/bootstrap.ts). The
 * standard OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_HEADERS win when set, as they would for any agent.
 */
export type DemoTarget = {
  endpoint: string;
  headers: Record<string, string>;
  /** Where people look at the runs. */
  uiUrl: string;
  /** Where the credentials came from, for messages. */
  keySource: string;
};

export type DemoSettings = {
  collectorUrl: string;
  publicUrl: string;
  CAUSEWAY_DATA_DIR: string;
  CAUSEWAY_INGEST_KEY?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
};

/** A problem the person running the demo can fix; the message says how. */
export class DemoSetupError extends Error {
  override name = "DemoSetupError";
}

/**
 * `key=value` pairs separated by commas, values percent-decoded, as the OpenTelemetry exporter spec reads
 * OTEL_EXPORTER_OTLP_HEADERS (https://opentelemetry.io/docs/specs/otel/protocol/exporter/).
 */
export function parseOtlpHeaders(value: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of value.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase();
    const raw = pair.slice(at + 1).trim();
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
    if (key) headers[key] = decoded;
  }
  return headers;
}

/** `root` is the directory the data directory is relative to (the repository, as for `npm start`). */
export function resolveDemoTarget(s: DemoSettings, root: string): DemoTarget {
  const endpoint = (s.OTEL_EXPORTER_OTLP_ENDPOINT ?? s.collectorUrl).replace(/\/+$/, "");
  const uiUrl = s.publicUrl.replace(/\/+$/, "");
  if (s.OTEL_EXPORTER_OTLP_HEADERS) {
    const headers = parseOtlpHeaders(s.OTEL_EXPORTER_OTLP_HEADERS);
    if (Object.keys(headers).length === 0)
      throw new DemoSetupError("OTEL_EXPORTER_OTLP_HEADERS has no key=value pair (expected authorization=Bearer <key>).");
    return { endpoint, headers, uiUrl, keySource: "OTEL_EXPORTER_OTLP_HEADERS" };
  }
  if (s.CAUSEWAY_INGEST_KEY) return { endpoint, headers: bearer(s.CAUSEWAY_INGEST_KEY), uiUrl, keySource: "CAUSEWAY_INGEST_KEY" };
  const file = path.resolve(root, s.CAUSEWAY_DATA_DIR, "ingest-key");
  const key = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  const shown = path.relative(root, file);
  if (key) return { endpoint, headers: bearer(key), uiUrl, keySource: shown.startsWith("..") ? file : shown };
  throw new DemoSetupError(
    `No ingest key found (looked for ${file}).\n` +
      "Start Causeway with `npm start` first: on its first run it creates a local ingest key there. If your keys are\n" +
      "managed in the UI (Settings → API keys), pass one instead:\n" +
      "  OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer <key>' npm run demo",
  );
}

/**
 * Asks the collector to take an empty OTLP request with the demo's credentials: it answers 200 only when it is up
 * and accepts the key, so every later failure is not a setup problem.
 */
export async function checkCollector(t: DemoTarget, timeoutMs = 5_000): Promise<void> {
  let status: number;
  try {
    const res = await fetch(`${t.endpoint}/v1/traces`, {
      method: "POST",
      headers: { ...t.headers, "content-type": "application/json" },
      body: "",
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (error) {
    throw new DemoSetupError(
      `Causeway's collector is not answering at ${t.endpoint} (${reason(error)}).\n` +
        "Start Causeway first with `npm start` (in another terminal), then run `npm run demo` again.",
    );
  }
  if (status === 401 || status === 403)
    throw new DemoSetupError(
      `The collector at ${t.endpoint} refused the ingest key from ${t.keySource} (HTTP ${status}).\n` +
        "It may have been revoked: create a key under Settings → API keys and run\n" +
        "  OTEL_EXPORTER_OTLP_HEADERS='authorization=Bearer <key>' npm run demo",
    );
  if (status < 200 || status >= 300)
    throw new DemoSetupError(`The collector at ${t.endpoint} answered HTTP ${status} to an empty OTLP request.`);
}

function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
