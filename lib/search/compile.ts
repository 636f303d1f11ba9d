import {
  driftCondition,
  isDriftKey,
  isStepSelector,
  looseQuery,
  messageHits,
  runCondition,
  runHasStep,
  runSaid,
  stepMatches,
  stepSaidHash,
  type TextPlan,
} from "@/lib/search/conditions";
import type { SearchCursor } from "@/lib/search/cursor";
import type { Filter, SearchQuery } from "@/lib/search/parse";
import { join, raw, sql, toQuery, type Sql } from "@/lib/search/sql";
import { resolveTimeBound } from "@/lib/search/time";

/**
 * Query → parameterized SQL (see README.md for what a query means).
 *
 * Two result shapes ("modes"):
 * - drift: drift points, newest first (drift_points.created_at, id). Every key narrows them: drift
 *   and severity the drift point; agent, status, session, run, has:error, tool, model and text its run.
 * - steps: when the query names steps (tool:, model: or words) and no drift key. One result per
 *   matching run, newest run first, at the first step that matches (the moment to open in replay),
 *   with that step's drift point when it has one.
 *
 * `candidateRuns`, when given, is the complete set of runs a selective key allows (found through
 * an index by candidates.ts): the query then starts from those runs instead of walking newest first.
 * `textPlan` says how runs are checked for words (conditions.ts), also chosen by candidates.ts.
 */
export type SearchMode = "drift" | "steps";

export type CompileOptions = {
  projectId: string;
  now: Date;
  limit: number;
  cursor: SearchCursor | null;
  candidateRuns?: readonly string[] | null;
  textPlan?: TextPlan;
  /** The loose text query (candidates.ts compileLooseText) for the `hits` table. */
  looseText?: string | null;
};

export function searchMode(q: SearchQuery): SearchMode {
  const driftKey = q.filters.some(
    (f) => !f.negated && (isDriftKey(f) || (f.key === "has" && f.values.some((v) => v.value === "drift"))),
  );
  const stepSelector = q.filters.some((f) => !f.negated && isStepSelector(f)) || q.text.some((t) => !t.negated);
  return stepSelector && !driftKey ? "steps" : "drift";
}

export function compileSearch(q: SearchQuery, opts: CompileOptions): { mode: SearchMode; text: string; values: unknown[] } {
  const mode = searchMode(q);
  if (opts.cursor && opts.cursor.mode !== mode) throw new CursorMismatchError();
  const fragment = mode === "drift" ? driftQuery(q, opts) : stepsQuery(q, opts);
  return { mode, ...toQuery(fragment) };
}

export class CursorMismatchError extends Error {
  constructor() {
    super("The cursor belongs to a query of another shape");
  }
}

/** What a run must have and must not have: run columns, steps it called, what it said. */
function runConditions(q: SearchQuery, opts: CompileOptions, skipSelector: Filter | null): Sql[] {
  const out: Sql[] = [];
  for (const f of q.filters) {
    if (isStepSelector(f)) {
      if (f === skipSelector) continue;
      out.push(f.negated ? sql`NOT ${runHasStep(stepMatches(f))}` : runHasStep(stepMatches(f)));
    } else {
      const c = runCondition(opts.projectId, f);
      if (c) out.push(c);
    }
  }
  const wanted = q.text.filter((t) => !t.negated);
  const unwanted = q.text.filter((t) => t.negated);
  if (wanted.length) out.push(runSaid(wanted, "and", textPlan(opts)));
  if (unwanted.length) out.push(sql`NOT ${runSaid(unwanted, "or", "scan")}`);
  return out;
}

const textPlan = (opts: CompileOptions): TextPlan => opts.textPlan ?? "hits";

/** The messages the words match, as a hash table the run checks probe (TextPlan "hits"). */
function hitsCte(q: SearchQuery, opts: CompileOptions): Sql {
  const wanted = q.text.filter((t) => !t.negated);
  if (!wanted.length || textPlan(opts) !== "hits") return raw("");
  const loose = opts.looseText != null ? sql`${opts.looseText}::tsquery` : looseQuery(wanted);
  return sql`WITH hits AS MATERIALIZED (${messageHits(opts.projectId, loose)})`;
}

function driftQuery(q: SearchQuery, opts: CompileOptions): Sql {
  const where: Sql[] = [sql`d.project_id = ${opts.projectId}::uuid`];
  for (const f of q.filters) {
    const c = driftCondition(f);
    if (c) where.push(c);
  }
  where.push(...runConditions(q, opts, null));
  if (q.after) where.push(sql`d.created_at >= ${resolveTimeBound(q.after, opts.now)}::timestamptz`);
  if (q.before) where.push(sql`d.created_at < ${resolveTimeBound(q.before, opts.now)}::timestamptz`);
  if (opts.candidateRuns) where.push(sql`d.run_id = ANY(${[...opts.candidateRuns]}::char(32)[])`);
  if (opts.cursor?.mode === "drift")
    where.push(
      sql`(d.created_at, d.id) < (timestamptz 'epoch' + ${opts.cursor.createdMs.toString()}::bigint * interval '1 millisecond', ${opts.cursor.id.toString()}::bigint)`,
    );
  // The page is chosen first, then decorated (agent, step): joins for display run for its rows only.
  return sql`${hitsCte(q, opts)}
    SELECT p.drift_id::text AS drift_id, (extract(epoch FROM p.created_at) * 1000)::bigint AS created_ms, p.created_at,
           p.run_id, p.span_id, p.detector, p.severity::text AS severity, p.summary,
           p.run_name, p.run_status::text AS run_status, p.started_at, a.service_name AS agent,
           st.name AS step_name, st.kind::text AS step_kind, st.start_ns::text AS step_start_ns
    FROM (
      SELECT d.id AS drift_id, d.created_at, d.project_id, d.run_id, d.span_id, d.detector, d.severity, d.summary,
             r.name AS run_name, r.status AS run_status, r.started_at, r.agent_id
      FROM drift_points d
      JOIN runs r ON r.project_id = d.project_id AND r.id = d.run_id
      WHERE ${join(where, "\n        AND ")}
      ORDER BY d.created_at DESC, d.id DESC
      LIMIT ${opts.limit + 1}
    ) p
    LEFT JOIN agents a ON a.id = p.agent_id
    LEFT JOIN steps st ON st.project_id = p.project_id AND st.run_id = p.run_id AND st.span_id = p.span_id
    ORDER BY p.created_at DESC, p.drift_id DESC`;
}

function stepsQuery(q: SearchQuery, opts: CompileOptions): Sql {
  const selectors = q.filters.filter((f) => !f.negated && isStepSelector(f));
  const wanted = q.text.filter((t) => !t.negated);
  // The moment: the run's first step matching any positive selector. A lone tool: or model: needs
  // no separate "the run has such a step" condition: the moment's lateral join is that check. Text
  // keeps its run condition: once per distinct message of the run is cheaper than once per step.
  const lone = selectors.length === 1 && !wanted.length ? selectors[0]! : null;
  const where: Sql[] = [sql`r.project_id = ${opts.projectId}::uuid`, ...runConditions(q, opts, lone)];
  // Only negated drift keys reach this mode (a positive one makes the results drift points): runs without such drift.
  for (const f of q.filters) {
    const c = driftCondition({ ...f, negated: false });
    if (c)
      where.push(sql`NOT EXISTS (SELECT 1 FROM drift_points d WHERE d.project_id = r.project_id AND d.run_id = r.id AND ${c})`);
  }
  if (q.after) where.push(sql`r.started_at >= ${resolveTimeBound(q.after, opts.now)}::timestamptz`);
  if (q.before) where.push(sql`r.started_at < ${resolveTimeBound(q.before, opts.now)}::timestamptz`);
  if (opts.candidateRuns) where.push(sql`r.id = ANY(${[...opts.candidateRuns]}::char(32)[])`);
  if (opts.cursor?.mode === "steps")
    where.push(
      sql`(r.started_at, r.id) < (timestamptz 'epoch' + ${opts.cursor.startedUs.toString()}::bigint * interval '1 microsecond', ${opts.cursor.runId}::char(32))`,
    );
  const hit = wanted.length
    ? sql`CASE WHEN s.kind = 'llm' THEN ${stepSaidHash(wanted, textPlan(opts))} END`
    : raw("NULL::char(64)");
  const picked = selectors.length ? sql`(${join(selectors.map(stepMatches), " OR ")})` : raw("false");
  // OFFSET 0 keeps the filter on the computed columns outside, so each step's messages are
  // checked once, in step order, stopping at the first match (the index gives the order).
  return sql`${hitsCte(q, opts)}
    SELECT p.run_id, p.run_name, p.run_status::text AS run_status, p.started_at,
           (extract(epoch FROM p.started_at) * 1000000)::bigint AS started_us, a.service_name AS agent,
           p.span_id, p.step_name, p.step_kind::text AS step_kind, p.start_ns::text AS step_start_ns,
           p.tool_name, p.model, msg.role AS message_role, msg.content AS message_content,
           dp.detector, dp.severity::text AS severity, dp.summary
    FROM (
      SELECT r.project_id, r.id AS run_id, r.name AS run_name, r.status AS run_status, r.started_at, r.agent_id,
             m.span_id, m.name AS step_name, m.kind AS step_kind, m.start_ns, m.tool_name, m.model, m.hit
      FROM runs r
      CROSS JOIN LATERAL (
        SELECT x.* FROM (
          SELECT s.span_id, s.name, s.kind, s.start_ns, s.tool_name, s.model, ${hit} AS hit, ${picked} AS picked
          FROM steps s
          WHERE s.project_id = r.project_id AND s.run_id = r.id
          ORDER BY s.start_ns
          OFFSET 0
        ) x
        WHERE x.picked OR x.hit IS NOT NULL
        LIMIT 1
      ) m
      WHERE ${join(where, "\n        AND ")}
      ORDER BY r.started_at DESC, r.id DESC
      LIMIT ${opts.limit + 1}
    ) p
    LEFT JOIN agents a ON a.id = p.agent_id
    LEFT JOIN messages msg ON msg.project_id = p.project_id AND msg.hash = p.hit
    LEFT JOIN LATERAL (
      SELECT d.detector, d.severity, d.summary FROM drift_points d
      WHERE d.project_id = p.project_id AND d.run_id = p.run_id AND d.span_id = p.span_id
      ORDER BY d.severity DESC, d.id
      LIMIT 1
    ) dp ON true
    ORDER BY p.started_at DESC, p.run_id DESC`;
}
