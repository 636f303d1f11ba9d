import type { ChatMessage } from "@/lib/conventions/types";
import { readGenAiLogRecord, type GenAiLogEvent } from "@/lib/conventions/genai-logs";
import { createCleaner, messageHash, type Cleaner } from "@/lib/ingest/clean";
import type { LogRecord } from "@/lib/otlp/types";
import type { IngestBatch, LogEventMessage, LogEventRow } from "@/collector/normalize/batch";
import { storeMessage, type NormalizeOptions } from "@/collector/normalize/normalize";
import { reject } from "@/collector/decode/reject";

/**
 * Normalize stage for POST /v1/logs: GenAI events sent as log records (lib/conventions/genai-logs.ts) become
 * LogEventRows for the model call span they name; their messages are cleaned (redaction, caps) and stored by hash
 * exactly as a span's messages are. Any other record is dropped (counted); a GenAI event that cannot be used is
 * rejected (counted, with a reason for the OTLP partial_success).
 */
export type NormalizedLogs = {
  batch: IngestBatch;
  /** Records that are not GenAI message events. */
  dropped: number;
  rejected: number;
  rejectReasons: string[];
};

const I64_MAX = (1n << 63n) - 1n;
const INT32_MAX = 2_147_483_647;
/** Orders records across requests that carry equal timestamps (SDKs often stamp events in milliseconds). */
let lastSeqBase = 0n;

export function normalizeLogs(projectId: string, records: LogRecord[], opts: NormalizeOptions): NormalizedLogs {
  const batch: IngestBatch = { projectId, steps: [], messages: new Map(), agents: new Map(), logEvents: [] };
  const out: NormalizedLogs = { batch, dropped: 0, rejected: 0, rejectReasons: [] };
  // Arrival order: later requests sort after earlier ones, records of one request in their order.
  let seqBase = BigInt(Date.now()) * 1_000_000n;
  if (seqBase <= lastSeqBase) seqBase = lastSeqBase + 1n;
  lastSeqBase = seqBase + BigInt(records.length);
  const occurrences = new Map<string, number>();
  records.forEach((record, i) => {
    const result = readGenAiLogRecord(record);
    if (result === null) out.dropped++;
    else if ("error" in result) reject(out, result.error);
    else batch.logEvents.push(toLogEventRow(result.event, seqBase + BigInt(i), batch, opts, occurrences));
  });
  return out;
}

function toLogEventRow(
  ev: GenAiLogEvent,
  seq: bigint,
  batch: IngestBatch,
  opts: NormalizeOptions,
  occurrences: Map<string, number>,
): LogEventRow {
  const clean = createCleaner(opts.redact, opts.maxValueBytes);
  const store = (list: ChatMessage[] | undefined) => (list === undefined ? null : list.map((m) => eventMessage(m, batch, clean)));
  const p = ev.part;
  const row: LogEventRow = {
    runId: ev.traceId,
    spanId: ev.spanId,
    recordKey: "",
    eventName: ev.name,
    timeNs: ev.timeNs > I64_MAX ? I64_MAX : ev.timeNs,
    seq,
    kind: p.kind,
    choiceIndex:
      p.kind === "choice" && p.index !== undefined && Number.isInteger(p.index) && Math.abs(p.index) <= INT32_MAX
        ? p.index
        : null,
    system: p.kind === "details" ? store(p.system) : null,
    input: p.kind !== "choice" ? store(p.input) : null,
    output: p.kind !== "message" ? store(p.output) : null,
    finishReason: p.kind !== "message" && p.finishReason ? clean.text(p.finishReason, "finish_reason") : null,
    tools: p.kind === "details" && p.tools ? JSON.stringify(clean.value(p.tools, "tools")) : null,
  };
  row.recordKey = recordKey(row, occurrences);
  return row;
}

/** A message stored like a span's (storeMessage), with its facts and its cuts relative to the message. */
function eventMessage(m: ChatMessage, batch: IngestBatch, clean: Cleaner): LogEventMessage {
  const before = clean.truncated.length;
  const stored = storeMessage(m, "m", batch, clean);
  const msg: LogEventMessage = { hash: stored.hash, role: stored.role };
  if (stored.toolCalls?.length) msg.toolCalls = stored.toolCalls.map((c) => ({ id: c.id, name: c.name }));
  if (stored.toolCallId) msg.toolCallId = stored.toolCallId;
  const cuts = clean.truncated.slice(before).map((c) => ({ path: c.path.slice("m.".length), bytes: c.bytes }));
  if (cuts.length) msg.cuts = cuts;
  return msg;
}

/**
 * The record's identity, from its cleaned content (never raw text): a redelivered record gets the same key and is
 * stored once. Identical records in one request (the same message said twice, stamped in the same millisecond)
 * are told apart by their occurrence.
 */
function recordKey(row: LogEventRow, occurrences: Map<string, number>): string {
  const hashes = (list: LogEventMessage[] | null) => list?.map((m) => m.hash) ?? null;
  const content = JSON.stringify([
    row.runId,
    row.spanId,
    row.eventName,
    row.timeNs.toString(),
    row.choiceIndex,
    hashes(row.system),
    hashes(row.input),
    hashes(row.output),
    row.finishReason,
    row.tools,
  ]);
  const n = occurrences.get(content) ?? 0;
  occurrences.set(content, n + 1);
  return messageHash(n === 0 ? content : `${content}#${n}`);
}
