import { setImmediate } from "node:timers/promises";
import type pg from "pg";
import type { Logger } from "@/lib/log";
import { createRedactor } from "@/lib/ingest/redact";
import type { DecodedLogs, DecodedTraces, Span } from "@/lib/otlp/types";
import { decodeLogsJson, decodeTracesJson } from "@/collector/decode/json";
import { decodeLogsProtobuf, decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { MAX_REJECT_REASONS } from "@/collector/decode/reject";
import type { CollectorEnv } from "@/collector/env";
import type { IngestBatch } from "@/collector/normalize/batch";
import { normalizeBatch, normalizeInto, type NormalizeOptions } from "@/collector/normalize/normalize";
import { normalizeLogs } from "@/collector/normalize/logs";
import { MessageMemo } from "@/collector/normalize/message-memo";
import type { Format } from "@/collector/receiver/otlp";
import type { Metrics } from "@/collector/receiver/metrics";
import { StoreQueue } from "@/collector/store/queue";
import { afterCommit as storeAfterCommit } from "@/collector/store/after-commit";
import type { AgentKey, WriteResult } from "@/collector/store/writer";

/**
 * The ingest pipeline behind the receiver: decode -> normalize (conventions, redaction,
 * caps) -> store (batched transactions) -> "run changed" notification. `traces` and
 * `logs` take a request's body and resolve once its spans (or GenAI log events) are
 * committed, which is when the receiver may answer 200; they reject with DecodeError
 * (400), RetryableError (429/503) or a database error. The collector runs it in a worker
 * thread (collector/ingest/), so decoding and normalizing never delay the control
 * channel on the main thread.
 */
export type Pipeline = {
  /** `onDecoded` learns how many spans (log events) the body holds as soon as it is decoded. */
  traces(projectId: string, format: Format, body: Uint8Array, onDecoded?: (items: number) => void): Promise<IngestOutcome>;
  logs(projectId: string, format: Format, body: Uint8Array, onDecoded?: (items: number) => void): Promise<IngestOutcome>;
  queued(): number;
  /** Bytes of the bodies taken and not answered yet. */
  queuedBytes(): number;
  close(): Promise<void>;
};

/** What the exporter is told besides 200: items rejected as unusable (partial_success). */
export type IngestOutcome = { rejected: number; message: string };

/** `afterCommit` learns the runs each committed batch changed (the drift stage); it must return at once. */
export function createPipeline(
  pool: pg.Pool,
  env: CollectorEnv,
  log: Logger,
  metrics: Metrics,
  afterCommit?: (runs: WriteResult["changedRuns"]) => void,
): Pipeline {
  const normalizeOptions = {
    redact: createRedactor(env.CAUSEWAY_REDACT, env.CAUSEWAY_REDACT_PATTERNS),
    maxValueBytes: env.CAUSEWAY_MAX_VALUE_BYTES,
    memo: new MessageMemo(MESSAGE_MEMO_CHARS),
  };
  /** After-commit updates still running (agents' and sessions' last activity, "run changed" notifications). */
  const bookkeeping = new Set<Promise<void>>();
  const agentsSeen = throttle<AgentKey>((a) => `${a.projectId}/${a.serviceName}\u0001${a.instanceId}`, 1000);
  const queue = new StoreQueue(pool, {
    maxBatchSpans: env.CAUSEWAY_INGEST_BATCH_SPANS,
    flushIntervalMs: env.CAUSEWAY_INGEST_FLUSH_MS,
    maxQueuedSpans: env.CAUSEWAY_INGEST_MAX_QUEUED_SPANS,
    concurrency: 4,
    log,
    onCommitted(result, spans, ms) {
      metrics.inc("causeway_collector_batches_committed_total");
      metrics.inc("causeway_collector_spans_stored_total", result.stored);
      metrics.inc("causeway_collector_spans_duplicate_total", result.duplicates);
      metrics.inc("causeway_collector_log_events_stored_total", result.logEvents.stored);
      metrics.inc("causeway_collector_log_events_duplicate_total", result.logEvents.duplicates);
      metrics.inc("causeway_collector_steps_updated_from_logs_total", result.logEvents.stepsUpdated);
      metrics.record("causeway_collector_batch_spans", spans);
      metrics.record("causeway_collector_commit_duration_seconds", ms / 1000);
      afterCommit?.(result.changedRuns);
      const touched = { ...result.touched, agents: result.touched.agents.filter(agentsSeen.due) };
      const done = storeAfterCommit(pool, touched, result.changedRuns)
        .catch((error: Error) => log.warn("post-commit bookkeeping failed", { error: error.message }))
        .finally(() => bookkeeping.delete(done));
      bookkeeping.add(done);
    },
  });
  async function storeSpans(projectId: string, spans: Span[]): Promise<void> {
    const count = spans.length;
    const batch = await normalizeInSlices(projectId, spans, normalizeOptions);
    spans.length = 0; // the decoded spans are garbage now
    await queue.enqueue(batch);
    metrics.inc("causeway_collector_spans_accepted_total", count);
  }

  let heldBytes = 0;
  const holding = <T>(bytes: number, work: () => Promise<T>): Promise<T> => {
    heldBytes += bytes;
    let settled: Promise<T>;
    try {
      settled = work();
    } catch (error) {
      settled = Promise.reject(error as Error);
    }
    return settled.finally(() => (heldBytes -= bytes));
  };

  const pipeline: Pipeline = {
    // Not async: the body and the decoded spans are let go as soon as the rows are built, not held while the
    // rows wait for their transaction (with 12 KB spans that was tens of MB more heap under load).
    traces(projectId, format, body, onDecoded) {
      let decoded: DecodedTraces;
      try {
        decoded = decodeTraces(format, body);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      const { spans, rejected, rejectReasons } = decoded;
      onDecoded?.(spans.length);
      metrics.inc("causeway_collector_spans_received_total", spans.length + rejected);
      metrics.inc("causeway_collector_spans_rejected_total", rejected);
      const outcome = { rejected, message: rejectReasons.join("; ") };
      return spans.length === 0 ? Promise.resolve(outcome) : storeSpans(projectId, spans).then(() => outcome);
    },
    async logs(projectId, format, body, onDecoded) {
      const decoded = decodeLogs(format, body);
      metrics.inc("causeway_collector_log_records_received_total", decoded.records.length + decoded.rejected);
      const { batch, dropped, rejected, rejectReasons } = normalizeLogs(projectId, decoded.records, normalizeOptions);
      onDecoded?.(batch.logEvents.length);
      if (batch.logEvents.length) await queue.enqueue(batch);
      metrics.inc("causeway_collector_log_records_dropped_total", dropped);
      metrics.inc("causeway_collector_log_records_rejected_total", decoded.rejected + rejected);
      const reasons = [...decoded.rejectReasons, ...rejectReasons].slice(0, MAX_REJECT_REASONS);
      return { rejected: decoded.rejected + rejected, message: reasons.join("; ") };
    },
    queued: () => queue.queued,
    queuedBytes: () => heldBytes,
    // Stored first, then the last commits' bookkeeping (the caller ends the pool after this).
    close: () => queue.close().then(() => Promise.allSettled(bookkeeping).then(() => {})),
  };
  return {
    ...pipeline,
    traces: (projectId, format, body, onDecoded) =>
      holding(body.byteLength, () => pipeline.traces(projectId, format, body, onDecoded)),
    logs: (projectId, format, body, onDecoded) =>
      holding(body.byteLength, () => pipeline.logs(projectId, format, body, onDecoded)),
  };
}

/**
 * Characters of message content remembered per generation (collector/normalize/message-memo.ts): two generations
 * hold at most ~16 MB with their stored forms, enough for the conversations of many concurrent runs.
 */
const MESSAGE_MEMO_CHARS = 4 * 1024 * 1024;

/** Spans normalized per turn of the event loop. */
const NORMALIZE_SLICE = 64;

/**
 * Normalizes a request's spans a slice at a time, letting other work run in between: on the ingest worker the
 * same thread is waiting for Postgres' replies in open transactions, and a 512-span request normalized at once
 * held it ~15 ms (several requests back to back, far longer), stretching every transaction in flight.
 */
async function normalizeInSlices(projectId: string, spans: Span[], opts: NormalizeOptions): Promise<IngestBatch> {
  const batch = normalizeBatch(projectId, [], opts);
  for (let i = 0; i < spans.length; i += NORMALIZE_SLICE) {
    if (i > 0) await setImmediate();
    normalizeInto(batch, spans.slice(i, i + NORMALIZE_SLICE), opts);
  }
  return batch;
}

function decodeTraces(format: Format, body: Uint8Array): DecodedTraces {
  if (body.length === 0) return { spans: [], rejected: 0, rejectReasons: [] };
  return format === "json"
    ? decodeTracesJson(Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"))
    : decodeTracesProtobuf(body);
}

function decodeLogs(format: Format, body: Uint8Array): DecodedLogs {
  if (body.length === 0) return { records: [], rejected: 0, rejectReasons: [] };
  return format === "json"
    ? decodeLogsJson(Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8"))
    : decodeLogsProtobuf(body);
}

/**
 * An agent's last_seen_at is refreshed at most once per `ms` by this collector: every batch of a busy agent
 * updated the same row (one more write, and a row lock, per batch) for a timestamp nobody reads to the millisecond.
 */
function throttle<T>(keyOf: (item: T) => string, ms: number): { due: (item: T) => boolean } {
  const last = new Map<string, number>();
  return {
    due(item) {
      const key = keyOf(item);
      const now = Date.now();
      if (now - (last.get(key) ?? -Infinity) < ms) return false;
      if (last.size >= 10_000) last.clear(); // a bound, not an LRU: forgetting only costs one extra update
      last.set(key, now);
      return true;
    },
  };
}
