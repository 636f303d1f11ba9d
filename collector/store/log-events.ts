import type pg from "pg";
import { insertMessageRows } from "@/collector/store/messages";
import type { IngestBatch, LogEventMessage, LogEventRow } from "@/collector/normalize/batch";
import {
  applyLogEvents,
  type Cut,
  type LogEventsMarker,
  type StepMessages,
  type StoredLogEvent,
} from "@/collector/normalize/log-events";

/**
 * GenAI events sent as logs, in the store (table genai_log_events, one row per record and model call span).
 *
 * Writing: the events and their messages are inserted in the request's transaction, ON CONFLICT DO NOTHING on
 * (project, run, span, record key), so a redelivered record is stored once.
 *
 * Applying: the step of the span shows the events' messages (collector/normalize/log-events.ts), whichever
 * arrives first. The span and its records come in separate requests, possibly committed at the same moment by
 * two transactions that cannot see each other's rows. So each side looks for the other only after its own
 * commit: a trace write checks whether its spans have events, a logs write whether its spans have steps. Of two
 * commits one is later, and the check after it sees both. The check is one indexed query per transaction on the
 * trace path (no lock, no per-span query); only spans that have events go further. Applying locks the steps
 * (FOR UPDATE, in key order) before reading their events, so two concurrent appliers of one step serialize and
 * the later one reads every event committed before it.
 */
export type SpanKey = { projectId: string; runId: string; spanId: string };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const keyOf = (k: SpanKey) => `${k.projectId}/${k.runId}/${k.spanId}`;

/** Inserts the batches' log events and their messages (inside the caller's transaction). */
export async function insertLogEvents(
  client: pg.PoolClient,
  batches: IngestBatch[],
): Promise<{ stored: number; duplicates: number }> {
  const rows = batches
    .flatMap((b) => b.logEvents.map((event) => ({ projectId: b.projectId, event })))
    .sort(
      (a, b) =>
        cmp(a.projectId, b.projectId) ||
        cmp(a.event.runId, b.event.runId) ||
        cmp(a.event.spanId, b.event.spanId) ||
        cmp(a.event.recordKey, b.event.recordKey),
    );
  if (rows.length === 0) return { stored: 0, duplicates: 0 };
  await insertEventMessages(client, batches);
  const res = await client.query(INSERT_EVENTS, [`[${rows.map((r) => eventJson(r.projectId, r.event)).join(",")}]`]);
  const stored = res.rowCount ?? 0;
  return { stored, duplicates: rows.length - stored };
}

const INSERT_EVENTS = `
  INSERT INTO genai_log_events (project_id, run_id, span_id, record_key, event_name, time_ns, seq, kind, choice_index,
                                system_messages, input_messages, output_messages, finish_reason, tools)
  SELECT p, r, s, k, n, t, q, kind, ci, sm, im, om, fr, tl
  FROM json_to_recordset($1::json) AS x(p uuid, r text, s text, k text, n text, t bigint, q bigint, kind text, ci int,
                                        sm jsonb, im jsonb, om jsonb, fr text, tl jsonb)
  ON CONFLICT (project_id, run_id, span_id, record_key) DO NOTHING`;

const j = JSON.stringify;
function eventJson(projectId: string, e: LogEventRow): string {
  return (
    `{"p":${j(projectId)},"r":${j(e.runId)},"s":${j(e.spanId)},"k":${j(e.recordKey)},"n":${j(e.eventName)},` +
    `"t":${e.timeNs},"q":${e.seq},"kind":${j(e.kind)},"ci":${e.choiceIndex ?? "null"},"sm":${j(e.system)},` +
    `"im":${j(e.input)},"om":${j(e.output)},"fr":${j(e.finishReason)},"tl":${e.tools ?? "null"}}`
  );
}

/** The messages of log batches, once per (project, hash); a span's messages are written with its step. */
async function insertEventMessages(client: pg.PoolClient, batches: IngestBatch[]): Promise<void> {
  const rows = batches
    .filter((b) => b.logEvents.length > 0)
    .flatMap((b) => [...b.messages.values()].map((m) => ({ projectId: b.projectId, m })))
    .sort((a, b) => cmp(a.projectId, b.projectId) || cmp(a.m.hash, b.m.hash));
  await insertMessageRows(client, rows);
}

/** Every span a group of batches wrote: its steps and the spans its log events name (in no particular order). */
export function spanKeysOf(batches: IngestBatch[]): SpanKey[] {
  const keys = new Map<string, SpanKey>();
  for (const b of batches) {
    for (const s of b.steps)
      keys.set(`${b.projectId}/${s.runId}/${s.spanId}`, { projectId: b.projectId, runId: s.runId, spanId: s.spanId });
    for (const e of b.logEvents)
      keys.set(`${b.projectId}/${e.runId}/${e.spanId}`, { projectId: b.projectId, runId: e.runId, spanId: e.spanId });
  }
  return [...keys.values()];
}

const params = (keys: SpanKey[]) => [keys.map((k) => k.projectId), keys.map((k) => k.runId), keys.map((k) => k.spanId)];
// bpchar arrays: run_id and span_id are CHAR columns, and comparing them with text would bypass their indexes.
const KEYS = `unnest($1::uuid[], $2::bpchar[], $3::bpchar[]) AS k(p, r, s)`;

/**
 * Applies the log events of these spans to their steps; call it after the write transaction committed (never
 * inside it, see above). Returns the runs whose steps changed, and how many steps.
 */
export async function applyPendingLogEvents(
  client: pg.PoolClient,
  keys: SpanKey[],
): Promise<{ changedRuns: { projectId: string; runId: string }[]; steps: number }> {
  const none = { changedRuns: [], steps: 0 };
  if (keys.length === 0) return none;
  const pending = await client.query<{ project_id: string; run_id: string; span_id: string }>(
    `SELECT DISTINCT e.project_id, e.run_id, e.span_id FROM genai_log_events e
     JOIN ${KEYS} ON e.project_id = k.p AND e.run_id = k.r AND e.span_id = k.s`,
    params(keys),
  );
  if (pending.rows.length === 0) return none;
  const spans = pending.rows
    .map((r) => ({ projectId: r.project_id, runId: r.run_id, spanId: r.span_id }))
    .sort((a, b) => cmp(keyOf(a), keyOf(b)));

  await client.query("BEGIN");
  try {
    const steps = await lockSteps(client, spans);
    if (steps.size === 0) {
      await client.query("COMMIT");
      return none;
    }
    const locked = spans.filter((k) => steps.has(keyOf(k)));
    const events = await readEvents(client, locked);
    const updates: { key: SpanKey; step: StepMessages }[] = [];
    for (const key of locked) {
      const next = applyLogEvents(steps.get(keyOf(key))!, events.get(keyOf(key)) ?? []);
      if (next) updates.push({ key, step: next });
    }
    if (updates.length > 0) await client.query(UPDATE_STEPS, [`[${updates.map((u) => updateJson(u.key, u.step)).join(",")}]`]);
    await client.query("COMMIT");
    const runs = new Map(
      updates.map(({ key }) => [`${key.projectId}/${key.runId}`, { projectId: key.projectId, runId: key.runId }]),
    );
    return { changedRuns: [...runs.values()], steps: updates.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

type StepRowDb = {
  project_id: string;
  run_id: string;
  span_id: string;
  context_hashes: string[];
  output_hashes: string[];
  call_ids: string[];
  call_names: string[];
  tool_result_ids: string[];
  truncated: unknown;
  finish_reason: string | null;
  tools: unknown;
  marker: unknown;
};

async function lockSteps(client: pg.PoolClient, keys: SpanKey[]): Promise<Map<string, StepMessages>> {
  const res = await client.query<StepRowDb>(
    `SELECT st.project_id, st.run_id, st.span_id, st.context_hashes, st.output_hashes, st.call_ids, st.call_names,
            st.tool_result_ids, st.attributes->'causeway.truncated' AS truncated,
            st.attributes->>'causeway.finish_reason' AS finish_reason, st.attributes->'causeway.tools' AS tools,
            st.attributes->'causeway.log_events' AS marker
     FROM steps st JOIN ${KEYS} ON st.project_id = k.p AND st.run_id = k.r AND st.span_id = k.s
     ORDER BY st.project_id, st.run_id, st.span_id
     FOR UPDATE OF st`,
    params(keys),
  );
  return new Map(
    res.rows.map((r) => [
      `${r.project_id}/${r.run_id}/${r.span_id}`,
      {
        contextHashes: r.context_hashes,
        outputHashes: r.output_hashes,
        callIds: r.call_ids,
        callNames: r.call_names,
        toolResultIds: r.tool_result_ids,
        truncated: readCuts(r.truncated),
        finishReason: r.finish_reason,
        tools: r.tools ?? null,
        marker: readMarker(r.marker),
      },
    ]),
  );
}

type EventRowDb = {
  project_id: string;
  run_id: string;
  span_id: string;
  kind: StoredLogEvent["kind"];
  time_ns: string;
  seq: string;
  choice_index: number | null;
  system_messages: LogEventMessage[] | null;
  input_messages: LogEventMessage[] | null;
  output_messages: LogEventMessage[] | null;
  finish_reason: string | null;
  tools: unknown;
};

async function readEvents(client: pg.PoolClient, keys: SpanKey[]): Promise<Map<string, StoredLogEvent[]>> {
  const res = await client.query<EventRowDb>(
    `SELECT e.project_id, e.run_id, e.span_id, e.kind, e.time_ns::text AS time_ns, e.seq::text AS seq, e.choice_index,
            e.system_messages, e.input_messages, e.output_messages, e.finish_reason, e.tools
     FROM genai_log_events e JOIN ${KEYS} ON e.project_id = k.p AND e.run_id = k.r AND e.span_id = k.s`,
    params(keys),
  );
  const out = new Map<string, StoredLogEvent[]>();
  for (const r of res.rows) {
    const key = `${r.project_id}/${r.run_id}/${r.span_id}`;
    const list = out.get(key) ?? [];
    list.push({
      kind: r.kind,
      timeNs: BigInt(r.time_ns),
      seq: BigInt(r.seq),
      choiceIndex: r.choice_index,
      system: r.system_messages,
      input: r.input_messages,
      output: r.output_messages,
      finishReason: r.finish_reason,
      tools: r.tools ?? null,
    });
    out.set(key, list);
  }
  return out;
}

const UPDATE_STEPS = `
  UPDATE steps st SET
    context_hashes = u.context_hashes,
    output_hashes = u.output_hashes,
    context_count = cardinality(u.context_hashes),
    context_bytes = (SELECT COALESCE(sum(m.byte_size), 0) FROM unnest(u.context_hashes) AS h(hash)
                     JOIN messages m ON m.project_id = u.p AND m.hash = h.hash::bpchar),
    call_ids = u.call_ids,
    call_names = u.call_names,
    tool_result_ids = u.tool_result_ids,
    attributes = (st.attributes - 'causeway.truncated') || u.patch
  FROM json_to_recordset($1::json) AS u(p uuid, r text, s text, context_hashes text[], output_hashes text[],
                                        call_ids text[], call_names text[], tool_result_ids text[], patch jsonb)
  WHERE st.project_id = u.p AND st.run_id = u.r::bpchar AND st.span_id = u.s::bpchar`;

function updateJson(key: SpanKey, s: StepMessages): string {
  const patch: Record<string, unknown> = { "causeway.log_events": s.marker };
  if (s.marker?.finishReason) patch["causeway.finish_reason"] = s.finishReason;
  if (s.marker?.tools) patch["causeway.tools"] = s.tools;
  if (s.truncated.length) patch["causeway.truncated"] = s.truncated;
  return j({
    p: key.projectId,
    r: key.runId,
    s: key.spanId,
    context_hashes: s.contextHashes,
    output_hashes: s.outputHashes,
    call_ids: s.callIds,
    call_names: s.callNames,
    tool_result_ids: s.toolResultIds,
    patch,
  });
}

function readCuts(raw: unknown): Cut[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c: { path?: unknown; bytes?: unknown } | null) =>
    c && typeof c.path === "string" && typeof c.bytes === "number" ? [{ path: c.path, bytes: c.bytes }] : [],
  );
}

function readMarker(raw: unknown): LogEventsMarker | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  return {
    records: typeof m.records === "number" ? m.records : 0,
    input: m.input === true,
    output: m.output === true,
    finishReason: m.finishReason === true,
    tools: m.tools === true,
  };
}
