import type pg from "pg";
import type { Logger } from "@/lib/log";
import { createRedactor } from "@/lib/ingest/redact";
import type { DecodedLogs, DecodedTraces } from "@/lib/otlp/types";
import type { CollectorEnv } from "@/collector/env";
import { normalizeBatch } from "@/collector/normalize/normalize";
import { normalizeLogs } from "@/collector/normalize/logs";
import type { LogsOutcome } from "@/collector/receiver/otlp";
import type { Metrics } from "@/collector/receiver/metrics";
import { notifyRunsChanged } from "@/collector/store/notify";
import { StoreQueue } from "@/collector/store/queue";
import { touchAfterCommit, type WriteResult } from "@/collector/store/writer";

/**
 * The trace pipeline after decoding: normalize (conventions, redaction, caps) ->
 * store (batched transactions) -> "run changed" notification. `consume` resolves
 * once the spans are committed, which is when the receiver may answer 200.
 * `consumeLogs` is the same for GenAI events sent as log records: they become rows of the
 * same store queue, and the model call steps they belong to show their messages.
 */
export type Pipeline = {
  consume(projectId: string, decoded: DecodedTraces): Promise<void>;
  consumeLogs(projectId: string, decoded: DecodedLogs): Promise<LogsOutcome>;
  queued(): number;
  close(): Promise<void>;
};

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
  };
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
      metrics.set("causeway_collector_last_batch_spans", spans);
      metrics.set("causeway_collector_last_commit_ms", Math.round(ms));
      afterCommit?.(result.changedRuns);
      void touchAfterCommit(pool, result.touched)
        .then(() => notifyRunsChanged(pool, result.changedRuns))
        .catch((error: Error) => log.warn("post-commit bookkeeping failed", { error: error.message }));
    },
  });
  return {
    async consume(projectId, decoded) {
      const batch = normalizeBatch(projectId, decoded.spans, normalizeOptions);
      await queue.enqueue(batch);
    },
    async consumeLogs(projectId, decoded) {
      const { batch, dropped, rejected, rejectReasons } = normalizeLogs(projectId, decoded.records, normalizeOptions);
      if (batch.logEvents.length) await queue.enqueue(batch);
      return { dropped, rejected, rejectReasons };
    },
    queued: () => queue.queued,
    close: () => queue.close(),
  };
}
