import { DecodeError } from "@/collector/decode/errors";
import { RetryableError } from "@/collector/store/errors";
import type { IngestOutcome } from "@/collector/pipeline";
import type { Format } from "@/collector/receiver/otlp";
import type { WriteResult } from "@/collector/store/writer";

/**
 * Messages between the collector's main thread and its ingest worker (collector/ingest/worker.ts).
 * Request bodies go over as transferred buffers (no copy); errors come back as data and are
 * rebuilt as the classes the receiver maps to HTTP statuses.
 */
export type ToWorker =
  { t: "ingest"; id: number; signal: "traces" | "logs"; projectId: string; format: Format; body: Uint8Array } | { t: "close" };

export type FromWorker =
  | { t: "done"; id: number; outcome: IngestOutcome }
  | { t: "failed"; id: number; error: WireError }
  /** A request's spans (or GenAI log events) counted, before they are normalized and stored. */
  | { t: "decoded"; id: number; items: number }
  | { t: "queued"; spans: number }
  | { t: "metrics"; inc: Record<string, number>; set: Record<string, number>; record: [string, number][] }
  | { t: "committed"; runs: WriteResult["changedRuns"] }
  | { t: "closed" };

export type WireError =
  | { kind: "decode"; message: string }
  | { kind: "retryable"; message: string; status: 429 | 503; retryAfterS: number }
  | { kind: "other"; message: string; code?: string };

export function toWire(error: unknown): WireError {
  if (error instanceof DecodeError) return { kind: "decode", message: error.message };
  if (error instanceof RetryableError)
    return { kind: "retryable", message: error.message, status: error.status, retryAfterS: error.retryAfterS };
  const e = error as { message?: string; code?: unknown };
  return { kind: "other", message: String(e?.message ?? error), ...(typeof e?.code === "string" ? { code: e.code } : {}) };
}

export function fromWire(w: WireError): Error {
  if (w.kind === "decode") return new DecodeError(w.message);
  if (w.kind === "retryable") return new RetryableError(w.message, w.status, w.retryAfterS);
  return Object.assign(new Error(w.message), w.code ? { code: w.code } : {});
}
