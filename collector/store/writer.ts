import type pg from "pg";
import { copyStepLines, STEP_COLUMNS, stepCopyLine } from "@/collector/store/step-rows";
import type { IngestBatch, MessageRow, StepRow } from "@/collector/normalize/batch";
import { rollupRuns } from "@/collector/store/rollup";
import { applyPendingLogEvents, insertLogEvents, spanKeysOf } from "@/collector/store/log-events";

/**
 * Store stage: writes a group of batches in one transaction. Only the steps actually
 * stored (not redelivered) feed payloads, messages and run aggregates, which makes
 * redelivery idempotent (trace id + span id).
 *
 * The transaction is few statements with nothing computed in between: BEGIN; agents,
 * sessions and runs in one statement; the steps (COPY, or INSERT on the embedded
 * database); payloads, messages and run aggregates in one statement; COMMIT. Every
 * statement is a round trip through a busy ingest thread and a busy database (each
 * took 5–10 ms under full load whatever its size), so the number of statements, not
 * their size, set the transaction's time — and with it the collector's throughput.
 */
export type WriteResult = {
  stored: number;
  duplicates: number;
  changedRuns: { projectId: string; runId: string }[];
  /** Agents and sessions to refresh after the commit (collector/store/after-commit.ts). */
  touched: { agents: AgentKey[]; sessions: { projectId: string; sessionId: string }[] };
  /** GenAI events sent as logs: newly stored, redelivered, and steps that now show their messages. */
  logEvents: { stored: number; duplicates: number; stepsUpdated: number };
};

export type AgentKey = { projectId: string; serviceName: string; instanceId: string };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const NS = (col: string) => `timestamptz 'epoch' + (${col} / 1000) * interval '1 microsecond'`;

/**
 * `copy`: steps go in by COPY (Postgres; the embedded database has no COPY FROM STDIN), at
 * about half the database time of the INSERT below. COPY has no conflict handling, so spans
 * already stored are looked up first; should a concurrent write of the same spans commit
 * in between, the unique violation rolls the transaction back and it is written again the
 * INSERT … ON CONFLICT way.
 */
export async function writeBatches(
  client: pg.PoolClient,
  batches: IngestBatch[],
  opts: { copy: boolean } = { copy: false },
): Promise<WriteResult> {
  if (!opts.copy) return writeOnce(client, batches, false);
  try {
    return await writeOnce(client, batches, true);
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    return writeOnce(client, batches, false);
  }
}

/** Whether this database takes COPY FROM STDIN (PGlite, the embedded database, does not). */
export async function copySupported(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ v: string }>("SELECT version() AS v");
  return !/PGlite/i.test(rows[0]?.v ?? "");
}

async function writeOnce(client: pg.PoolClient, batches: IngestBatch[], copy: boolean): Promise<WriteResult> {
  // A fixed row order keeps lock order the same in every transaction, so concurrent
  // writers (several flushes, several collector replicas) cannot deadlock each other.
  const all = batches
    .flatMap((b) => b.steps.map((step) => ({ projectId: b.projectId, step })))
    .sort((a, b) => cmp(a.projectId, b.projectId) || cmp(a.step.runId, b.step.runId) || cmp(a.step.spanId, b.step.spanId));
  const hasLogEvents = batches.some((b) => b.logEvents.length > 0);
  if (all.length === 0 && !hasLogEvents)
    return {
      stored: 0,
      duplicates: 0,
      changedRuns: [],
      touched: { agents: [], sessions: [] },
      logEvents: { stored: 0, duplicates: 0, stepsUpdated: 0 },
    };
  // Built before the transaction opens, so that it holds its locks and its connection only for the statements.
  const agents = agentRows(batches);
  const prelude = all.length > 0 ? preludeParams(agents, all) : [];
  const stepData = copy ? all.map(({ projectId, step }) => stepCopyLine(projectId, step)) : stepsJson(all);
  let fresh: { projectId: string; step: StepRow }[] = [];
  let changedRuns: WriteResult["changedRuns"] = [];
  let logEvents = { stored: 0, duplicates: 0 };
  await client.query("BEGIN");
  try {
    if (all.length > 0) {
      const newRuns = await runPrelude(client, prelude);
      const inserted =
        typeof stepData === "string" ? await insertSteps(client, stepData) : await copySteps(client, all, stepData, newRuns);
      fresh = all.filter(({ projectId, step }) => inserted.has(`${projectId}/${step.runId}/${step.spanId}`));
      changedRuns = await finishSteps(client, batches, agents, fresh);
    }
    if (hasLogEvents) logEvents = await insertLogEvents(client, batches);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
  // Only after the commit (collector/store/log-events.ts says why). All the spans written, not only the new ones:
  // a retried request then completes what a crash between the commit and this step left undone.
  const applied = await applyPendingLogEvents(client, spanKeysOf(batches));
  const runs = new Map(changedRuns.map((r) => [`${r.projectId}/${r.runId}`, r]));
  for (const r of applied.changedRuns) runs.set(`${r.projectId}/${r.runId}`, r);
  const sessions = new Map<string, { projectId: string; sessionId: string }>();
  for (const { projectId, step } of fresh)
    if (step.sessionId) sessions.set(`${projectId}/${step.sessionId}`, { projectId, sessionId: step.sessionId });
  const written = new Set(fresh.map(({ projectId, step }) => `${projectId}/${step.agentKey}`));
  return {
    stored: fresh.length,
    duplicates: all.length - fresh.length,
    changedRuns: [...runs.values()],
    touched: { agents: agents.filter((a) => written.has(`${a.projectId}/${a.key}`)), sessions: [...sessions.values()] },
    logEvents: { ...logEvents, stepsUpdated: applied.steps },
  };
}

type AgentParam = AgentKey & { key: string; attributes: string };

/** The batches' agents, once each, in key order (lock order). */
function agentRows(batches: IngestBatch[]): AgentParam[] {
  const unique = new Map<string, AgentParam>();
  for (const b of batches)
    for (const [key, a] of b.agents)
      unique.set(`${b.projectId}/${key}`, {
        projectId: b.projectId,
        serviceName: a.serviceName,
        instanceId: a.instanceId,
        key,
        attributes: a.attributes,
      });
  return [...unique.entries()].sort(([x], [y]) => cmp(x, y)).map(([, r]) => r);
}

/**
 * Agents, sessions and runs in one statement. Agents and sessions are shared by many concurrent writes, so the
 * transaction never locks their rows: new ones are inserted with DO NOTHING and existing ones left alone (their
 * last_seen_at and run counts are refreshed after the commit: after-commit.ts). A run row exists before its steps (the
 * run list reads it); its aggregates are filled in by finishSteps. Returns the runs this transaction created: they
 * hold no step yet (a concurrent writer of the same run waits on its unique index entry until this one commits).
 */
const PRELUDE = `
  WITH new_agents AS (
    INSERT INTO agents (project_id, service_name, instance_id, attributes)
    SELECT p, s, i, a::jsonb FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(p, s, i, a)
    ON CONFLICT (project_id, service_name, instance_id) DO NOTHING
  ), new_sessions AS (
    INSERT INTO sessions (project_id, id) SELECT * FROM unnest($5::uuid[], $6::text[])
    ON CONFLICT (project_id, id) DO NOTHING
  )
  INSERT INTO runs (project_id, id, started_at, last_activity_at)
  SELECT p, r, ${NS("s")}, ${NS("s")} FROM unnest($7::uuid[], $8::text[], $9::bigint[]) AS t(p, r, s)
  ON CONFLICT (project_id, id) DO NOTHING
  RETURNING project_id, id`;

function preludeParams(agents: AgentParam[], all: { projectId: string; step: StepRow }[]): unknown[] {
  const sessions = new Map<string, [string, string]>();
  const first = new Map<string, { projectId: string; runId: string; startNs: bigint }>();
  for (const { projectId, step } of all) {
    if (step.sessionId) sessions.set(`${projectId}/${step.sessionId}`, [projectId, step.sessionId]);
    const k = `${projectId}/${step.runId}`;
    const cur = first.get(k);
    if (!cur || step.startNs < cur.startNs) first.set(k, { projectId, runId: step.runId, startNs: step.startNs });
  }
  const s = [...sessions.values()];
  const runs = [...first.values()];
  return [
    agents.map((r) => r.projectId),
    agents.map((r) => r.serviceName),
    agents.map((r) => r.instanceId),
    agents.map((r) => r.attributes),
    s.map((r) => r[0]),
    s.map((r) => r[1]),
    runs.map((r) => r.projectId),
    runs.map((r) => r.runId),
    runs.map((r) => r.startNs.toString()),
  ];
}

async function runPrelude(client: pg.PoolClient, params: unknown[]): Promise<Set<string>> {
  const res = await client.query<{ project_id: string; id: string }>(PRELUDE, params);
  return new Set(res.rows.map((r) => `${r.project_id}/${r.id}`));
}

/**
 * The rows travel as one JSON array parameter expanded by json_to_recordset: one
 * parameter instead of 31 parallel arrays, attributes inlined as the JSON they
 * already are, and it works on the embedded database (which has no COPY FROM STDIN).
 * Server-side, for 2,048 agent-shaped rows: ~50 ms JSON expansion, ~20 ms insert,
 * ~37 ms foreign-key checks (EXPLAIN ANALYZE).
 */
const INSERT_STEPS = `
  INSERT INTO steps (${STEP_COLUMNS.map(([c]) => c).join(", ")})
  SELECT ${STEP_COLUMNS.map(([c]) => c).join(", ")}
  FROM json_to_recordset($1::json) AS t(${STEP_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ")})
  ON CONFLICT (project_id, run_id, span_id) DO NOTHING
  RETURNING project_id, run_id, span_id`;

const j = JSON.stringify;
const jn = (v: string | number | null) => (v === null ? "null" : typeof v === "number" ? String(v) : j(v));

/** The row as JSON text; attributes/events/links are already JSON and are inlined, not re-encoded. */
function stepJson(projectId: string, s: StepRow): string {
  return (
    `{"project_id":${j(projectId)},"run_id":${j(s.runId)},"span_id":${j(s.spanId)},"parent_span_id":${jn(s.parentSpanId)},` +
    `"kind":${j(s.kind)},"name":${j(s.name)},"family":${j(s.family)},"span_kind":${s.spanKind},"status":${j(s.status)},` +
    `"status_message":${jn(s.statusMessage)},"start_ns":${s.startNs},"end_ns":${s.endNs === null ? "null" : s.endNs},` +
    `"agent_name":${jn(s.agentName)},"provider":${jn(s.provider)},"model":${jn(s.model)},"tool_name":${jn(s.toolName)},` +
    `"tool_call_id":${jn(s.toolCallId)},"input_tokens":${jn(s.inputTokens)},"output_tokens":${jn(s.outputTokens)},` +
    `"total_tokens":${jn(s.totalTokens)},"context_hashes":${j(s.contextHashes)},"output_hashes":${j(s.outputHashes)},` +
    `"context_count":${s.contextHashes.length},"context_bytes":${s.contextBytes},"call_ids":${j(s.callIds)},"call_names":${j(s.callNames)},` +
    `"tool_result_ids":${j(s.toolResultIds)},"handoff_to":${jn(s.handoffTo)},` +
    `"attributes":${s.attributes},"events":${s.events},"links":${s.links},"scope_name":${j(s.scopeName)}}`
  );
}

const stepsJson = (all: { projectId: string; step: StepRow }[]) =>
  `[${all.map(({ projectId, step }) => stepJson(projectId, step)).join(",")}]`;

async function insertSteps(client: pg.PoolClient, json: string): Promise<Set<string>> {
  const res = await client.query<{ project_id: string; run_id: string; span_id: string }>(INSERT_STEPS, [json]);
  return new Set(res.rows.map((r) => `${r.project_id}/${r.run_id}/${r.span_id}`));
}

/** The COPY way: spans of runs that existed before are checked first (redeliveries), then the rest are copied. */
async function copySteps(
  client: pg.PoolClient,
  all: { projectId: string; step: StepRow }[],
  copyLines: string[],
  newRuns: Set<string>,
): Promise<Set<string>> {
  const key = (projectId: string, s: StepRow) => `${projectId}/${s.runId}/${s.spanId}`;
  const old = all.filter(({ projectId, step }) => !newRuns.has(`${projectId}/${step.runId}`));
  const stored = new Set<string>();
  if (old.length > 0) {
    const res = await client.query<{ project_id: string; run_id: string; span_id: string }>(
      // start_ns is in the probe so that either index on (project_id, run_id, …) finds each span directly: with no
      // statistics yet (a run still being ingested) the planner may take the start_ns index, and on run and span
      // alone that scanned the whole run per span (seconds a batch on a 100k-span run). A redelivered span has the
      // same start; one that somehow does not is caught by the unique key and the batch is written again with INSERT.
      `SELECT s.project_id, s.run_id, s.span_id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[]) AS k(p, r, s, t)
       JOIN steps s ON s.project_id = k.p AND s.run_id = k.r::bpchar AND s.start_ns = k.t AND s.span_id = k.s::bpchar`,
      [
        old.map((x) => x.projectId),
        old.map((x) => x.step.runId),
        old.map((x) => x.step.spanId),
        old.map((x) => x.step.startNs.toString()),
      ],
    );
    for (const r of res.rows) stored.add(`${r.project_id}/${r.run_id}/${r.span_id}`);
  }
  const inserted = new Set<string>();
  const lines: string[] = [];
  all.forEach(({ projectId, step }, i) => {
    const k = key(projectId, step);
    if (stored.has(k) || inserted.has(k)) return; // stored before, or twice in this batch
    inserted.add(k);
    lines.push(copyLines[i]!);
  });
  if (lines.length > 0) await copyStepLines(client, "steps", lines);
  return inserted;
}

/**
 * Payloads, messages and run aggregates of the newly stored steps, in one statement. Messages are written once per
 * (project, content hash). Run aggregates are deltas (collector/store/rollup.ts); a run takes the agent of its root
 * span, else keeps the one it has, else takes the first it is given.
 */
const FINISH = `
  WITH payloads AS (
    INSERT INTO step_payloads (project_id, run_id, span_id, input, output, input_full_bytes, output_full_bytes)
    SELECT p, r, s, i, o, ib, ob FROM json_to_recordset($1::json) AS x(p uuid, r text, s text, i text, o text, ib int, ob int)
    ON CONFLICT DO NOTHING
  ), messages AS (
    INSERT INTO messages (project_id, hash, role, content, byte_size, truncated)
    SELECT p, h, r, c, b, t FROM json_to_recordset($2::json) AS x(p uuid, h text, r text, c jsonb, b int, t bool)
    ON CONFLICT (project_id, hash) DO NOTHING
  ), agent AS (
    SELECT t.p, t.k, a.id FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) AS t(p, s, i, k)
    JOIN agents a ON a.project_id = t.p AND a.service_name = t.s AND a.instance_id = t.i
  )
  UPDATE runs r SET
    step_count = r.step_count + d.steps,
    llm_call_count = r.llm_call_count + d.llm,
    tool_call_count = r.tool_call_count + d.tools,
    input_tokens = r.input_tokens + d.tin,
    output_tokens = r.output_tokens + d.tout,
    total_tokens = r.total_tokens + d.ttotal,
    error_count = r.error_count + d.errors,
    started_at = LEAST(r.started_at, ${NS("d.start_ns")}),
    last_activity_at = GREATEST(r.last_activity_at, ${NS("d.activity_ns")}),
    agent_id = CASE WHEN d.root_span IS NOT NULL THEN agent.id ELSE COALESCE(r.agent_id, agent.id) END,
    session_id = COALESCE(r.session_id, d.session_id),
    name = CASE WHEN d.root_span IS NOT NULL AND d.name <> '' THEN d.name WHEN r.name = '' THEN d.name ELSE r.name END,
    root_span_id = COALESCE(d.root_span, r.root_span_id),
    ended_at = CASE
      WHEN d.root_span IS NOT NULL AND d.root_end IS NOT NULL THEN ${NS("d.root_end")}
      WHEN r.root_span_id IS NULL AND d.root_span IS NULL THEN NULL -- ended for quietness, active again
      ELSE r.ended_at END,
    status = CASE
      WHEN r.status IN ('killed', 'paused') THEN r.status
      WHEN d.root_span IS NOT NULL AND d.root_end IS NOT NULL THEN (CASE WHEN d.root_error THEN 'error' ELSE 'ok' END)::"RunStatus"
      WHEN r.root_span_id IS NULL AND d.root_span IS NULL THEN 'live'
      ELSE r.status END,
    updated_at = now()
  -- Run ids as bpchar[]: runs.id is char(32), and against text[] Postgres compares id::text, which no index serves
  -- (each batch's update scanned every run; test/integration/index-use.test.ts).
  FROM unnest($7::uuid[], $8::bpchar[], $9::int[], $10::int[], $11::int[], $12::bigint[], $13::bigint[], $14::bigint[],
              $15::int[], $16::bigint[], $17::bigint[], $18::text[], $19::text[], $20::text[], $21::text[], $22::bigint[], $23::bool[])
    AS d(project_id, run_id, steps, llm, tools, tin, tout, ttotal, errors, start_ns, activity_ns, agent_key, session_id, name,
         root_span, root_end, root_error)
  LEFT JOIN agent ON agent.p = d.project_id AND agent.k = d.agent_key
  WHERE r.project_id = d.project_id AND r.id = d.run_id`;

async function finishSteps(
  client: pg.PoolClient,
  batches: IngestBatch[],
  agents: AgentParam[],
  fresh: { projectId: string; step: StepRow }[],
): Promise<{ projectId: string; runId: string }[]> {
  const deltas = rollupRuns(fresh);
  if (deltas.length === 0) return [];
  const payloads = fresh.filter(({ step }) => step.input !== null || step.output !== null);
  const messages = messagesOf(batches, fresh);
  const col = <T, R>(rows: R[], f: (r: R) => T) => rows.map(f);
  // Payloads and messages as JSON parameters (json_to_recordset): text arrays are escaped element by element by
  // node-postgres, and a message's content is JSON already, inlined as it is.
  await client.query(FINISH, [
    `[${payloads.map(({ projectId, step }) => payloadJson(projectId, step)).join(",")}]`,
    `[${messages.map(({ projectId, m }) => messageJson(projectId, m)).join(",")}]`,
    col(agents, (a) => a.projectId),
    col(agents, (a) => a.serviceName),
    col(agents, (a) => a.instanceId),
    col(agents, (a) => a.key),
    col(deltas, (d) => d.projectId),
    col(deltas, (d) => d.runId),
    col(deltas, (d) => d.steps),
    col(deltas, (d) => d.llmCalls),
    col(deltas, (d) => d.toolCalls),
    col(deltas, (d) => d.inputTokens),
    col(deltas, (d) => d.outputTokens),
    col(deltas, (d) => d.totalTokens),
    col(deltas, (d) => d.errors),
    col(deltas, (d) => d.startNs.toString()),
    col(deltas, (d) => d.lastActivityNs.toString()),
    col(deltas, (d) => d.agentKey),
    col(deltas, (d) => d.sessionId),
    col(deltas, (d) => d.name),
    col(deltas, (d) => d.root?.spanId ?? null),
    col(deltas, (d) => d.root?.endNs?.toString() ?? null),
    col(deltas, (d) => d.root?.error ?? false),
  ]);
  return deltas.map((d) => ({ projectId: d.projectId, runId: d.runId }));
}

const payloadJson = (projectId: string, s: StepRow) =>
  `{"p":${j(projectId)},"r":${j(s.runId)},"s":${j(s.spanId)},"i":${jn(s.input)},"o":${jn(s.output)},` +
  `"ib":${jn(s.inputFullBytes)},"ob":${jn(s.outputFullBytes)}}`;

const messageJson = (projectId: string, m: MessageRow) =>
  `{"p":${j(projectId)},"h":${j(m.hash)},"r":${j(m.role)},"c":${m.content},"b":${m.byteSize},"t":${m.truncated}}`;

/**
 * Messages of newly stored steps, once per (project, content hash), in key order (lock order). A batch's messages
 * are those its steps refer to; when some steps were redelivered, only the messages of the others are wanted.
 */
function messagesOf(
  batches: IngestBatch[],
  fresh: { projectId: string; step: StepRow }[],
): { projectId: string; m: MessageRow }[] {
  const allFresh = fresh.length === batches.reduce((n, b) => n + b.steps.length, 0);
  const wanted = new Map<string, Set<string>>(); // project -> hashes
  if (!allFresh)
    for (const { projectId, step } of fresh) {
      let set = wanted.get(projectId);
      if (!set) wanted.set(projectId, (set = new Set()));
      for (const h of step.contextHashes) set.add(h);
      for (const h of step.outputHashes) set.add(h);
    }
  const seen = new Map<string, Set<string>>(); // project -> hashes taken
  const rows: { projectId: string; m: MessageRow }[] = [];
  for (const b of batches) {
    if (b.steps.length === 0) continue; // a logs batch: its messages go with its events (log-events.ts)
    let taken = seen.get(b.projectId);
    if (!taken) seen.set(b.projectId, (taken = new Set()));
    const want = wanted.get(b.projectId);
    for (const [hash, m] of b.messages)
      if ((allFresh || want?.has(hash)) && !taken.has(hash)) {
        taken.add(hash);
        rows.push({ projectId: b.projectId, m });
      }
  }
  return rows.sort((a, b) => cmp(a.projectId, b.projectId) || cmp(a.m.hash, b.m.hash));
}
