import type { IncomingMessage, ServerResponse } from "node:http";
import { DecodeError } from "@/collector/decode/errors";
import { encodeLogsResponse, encodeStatus, encodeTraceResponse } from "@/collector/decode/responses";
import { BodyError, readBody } from "@/collector/receiver/body";
import type { IngestAuth } from "@/collector/receiver/auth";
import type { Metrics } from "@/collector/receiver/metrics";
import { isTransientDbError, RetryableError } from "@/collector/store/errors";

/**
 * OTLP/HTTP receiver (spec: https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 * The response uses the request's content type; failures map to statuses in one
 * place: 400 bad data (not retried), 401 no valid key, 413 too large, 415 wrong
 * type, 429/503 + Retry-After when the collector or database cannot take it now.
 */
export type Format = "protobuf" | "json";
/** The pipeline's side (collector/pipeline.ts): decodes, stores, and says how many items it rejected. */
export type Sink = (projectId: string, format: Format, body: Uint8Array) => Promise<{ rejected: number; message: string }>;

export function formatOf(contentType: string | undefined): Format | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

type Deps = {
  auth: IngestAuth;
  maxBodyBytes: number;
  metrics: Metrics;
  /** True while the store queue is full: refuse before reading the body, so refusals are fast. */
  busy?: () => boolean;
};

/**
 * Requests being read, decoded and normalized at once, per route. Decoded spans take several
 * times their wire size in memory, so this (with the store queue's span limit)
 * is what keeps the collector's memory bounded under a flood.
 */
export const MAX_INFLIGHT_REQUESTS = 16;

export function tracesHandler(deps: Deps, sink: Sink) {
  return limited(deps, "traces", (req, res) => receive(deps, sink, encodeTraceResponse, req, res));
}

/**
 * POST /v1/logs: GenAI events sent as log records go down the pipeline like spans (collector/normalize/logs.ts);
 * other records are counted and dropped; GenAI events that cannot be used are rejected in partial_success.
 */
export function logsHandler(deps: Deps, sink: Sink) {
  return limited(deps, "logs", (req, res) => receive(deps, sink, encodeLogsResponse, req, res));
}

function limited(deps: Deps, signal: "traces" | "logs", receive: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {
  let inflight = 0;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    res.once("finish", () =>
      deps.metrics.record("causeway_collector_request_duration_seconds", (performance.now() - started) / 1000, {
        signal,
        code: String(res.statusCode),
      }),
    );
    if (inflight >= MAX_INFLIGHT_REQUESTS || deps.busy?.()) {
      req.resume();
      deps.metrics.inc("causeway_collector_throttled_total");
      return fail(res, formatOf(req.headers["content-type"]) ?? "json", 429, "collector busy: too many requests in progress", {
        "retry-after": "1",
      });
    }
    inflight++;
    try {
      await receive(req, res);
    } finally {
      inflight--;
    }
  };
}

/** The request's format and project, or null once it has been answered (415, 401, 503). */
async function admit(
  deps: Deps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ format: Format; projectId: string } | null> {
  const format = formatOf(req.headers["content-type"]);
  if (!format) {
    req.resume();
    fail(res, "json", 415, `Content-Type must be application/x-protobuf or application/json`);
    return null;
  }
  let projectId: string | null;
  try {
    projectId = await deps.auth(req.headers);
  } catch (error) {
    req.resume();
    if (isTransientDbError(error)) {
      handleError(res, format, new RetryableError("database unavailable", 503, 5), deps.metrics);
      return null;
    }
    throw error;
  }
  if (!projectId) {
    req.resume();
    fail(
      res,
      format,
      401,
      "missing or invalid ingest key: send `Authorization: Bearer <key>` with a key that has the ingest scope",
    );
    return null;
  }
  return { format, projectId };
}

/** Reads the body (decompressed, capped) and hands it to the pipeline; 200 once stored. */
async function receive(
  deps: Deps,
  sink: Sink,
  encode: (format: Format, partial?: { rejected: number; message: string }) => Uint8Array | string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const admitted = await admit(deps, req, res);
  if (!admitted) return;
  const { format, projectId } = admitted;
  try {
    // The body is handed over and let go here, not held until the spans are stored.
    const outcome = await readBody(req, deps.maxBodyBytes).then((body) =>
      body.length === 0 ? { rejected: 0, message: "" } : sink(projectId, format, body),
    );
    send(res, format, 200, encode(format, outcome.rejected ? outcome : undefined));
  } catch (error) {
    handleError(res, format, error, deps.metrics);
  }
}

function handleError(res: ServerResponse, format: Format, error: unknown, metrics: Metrics): void {
  if (error instanceof BodyError) return fail(res, format, error.status, error.message);
  if (error instanceof DecodeError) return fail(res, format, 400, `could not decode the request: ${error.message}`);
  // A data error from Postgres (SQLSTATE class 22) means this request's content could not be stored:
  // bad data, not a server fault, so it must not be retried forever.
  if ((error as { code?: string }).code?.startsWith("22"))
    return fail(res, format, 400, `the request's content could not be stored: ${(error as Error).message}`);
  if (error instanceof RetryableError) {
    metrics.inc(error.status === 429 ? "causeway_collector_throttled_total" : "causeway_collector_unavailable_total");
    return fail(res, format, error.status, error.message, { "retry-after": String(error.retryAfterS) });
  }
  throw error;
}

// google.rpc.Code values used in Status bodies.
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 413: 8, 415: 3, 429: 8, 503: 14 };

function fail(res: ServerResponse, format: Format, status: number, message: string, headers: Record<string, string> = {}): void {
  send(res, format, status, encodeStatus(format, RPC_CODE[status] ?? 2, message), headers);
}

function send(
  res: ServerResponse,
  format: Format,
  status: number,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): void {
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, {
    "content-type": format === "json" ? "application/json" : "application/x-protobuf",
    "content-length": buf.length,
    ...headers,
  });
  res.end(buf);
}
