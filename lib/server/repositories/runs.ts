import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/prisma";
import type { RunListQuery, RunPage, RunSummary } from "@/lib/api/schemas";
import { decodeRunCursor, encodeRunCursor } from "@/lib/runs/cursor";
import type { RunSort, SortOrder } from "@/lib/runs/sort";

type RunRow = {
  id: string;
  name: string;
  status: RunSummary["status"];
  session_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  last_activity_at: Date;
  step_count: number;
  llm_call_count: number;
  tool_call_count: number;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  error_count: number;
  drift_count: number;
  agent_id: string | null;
  service_name: string | null;
  instance_id: string | null;
};

const toSummary = (r: RunRow): RunSummary => ({
  id: r.id,
  name: r.name,
  status: r.status,
  agent: r.agent_id ? { id: r.agent_id, serviceName: r.service_name ?? "", instanceId: r.instance_id ?? "" } : null,
  sessionId: r.session_id,
  startedAt: r.started_at.toISOString(),
  endedAt: r.ended_at?.toISOString() ?? null,
  durationMs: r.ended_at ? r.ended_at.getTime() - r.started_at.getTime() : null,
  lastActivityAt: r.last_activity_at.toISOString(),
  stepCount: r.step_count,
  llmCallCount: r.llm_call_count,
  toolCallCount: r.tool_call_count,
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  totalTokens: Number(r.total_tokens),
  errorCount: r.error_count,
  driftCount: r.drift_count,
});

export class InvalidCursorError extends Error {}

/** The run list and a single run read the same columns. */
const RUN_COLUMNS = Prisma.sql`
  r.id, r.name, r.status::text AS status, r.session_id, r.started_at, r.ended_at, r.last_activity_at,
  r.step_count, r.llm_call_count, r.tool_call_count, r.input_tokens, r.output_tokens, r.total_tokens,
  r.error_count, r.drift_count, a.id AS agent_id, a.service_name, a.instance_id`;
const RUN_FROM = Prisma.sql`FROM runs r LEFT JOIN agents a ON a.id = r.agent_id`;

export async function findRunSummary(db: Db, projectId: string, runId: string): Promise<RunSummary | null> {
  const rows = await db.$queryRaw<RunRow[]>`
    SELECT ${RUN_COLUMNS} ${RUN_FROM} WHERE r.project_id = ${projectId}::uuid AND r.id = ${runId}`;
  return rows[0] ? toSummary(rows[0]) : null;
}

/**
 * A stretch of the list in which runs are ordered the same way. Most orders are one
 * part; two of them are split so that every part is an index range:
 * - duration: runs without an end (no duration yet) come after every run with one, in
 *   both directions;
 * - errors and drift: most runs have none, so only runs with some are in an index
 *   (partial, so the collector's many updates of clean runs skip it).
 * `tied`: every run of the part shares one value (none, or no duration), so the part is
 * ordered newest first, like the default list, whichever the direction: through the
 * indexes the filters already use (status, agent, session), so a filter that leaves the
 * part nearly empty (status=error, no errors) reads that filter's runs, not the table.
 */
type Part = { where: Prisma.Sql; holds: (v: bigint | null) => boolean; tied: boolean };
type PageRow = RunRow & { sort_value: bigint | null; started_us: bigint };
type SortSpec = {
  /** The ordered expression, written exactly as its index has it. */
  expr: Prisma.Sql;
  /** The same value as a bigint (µs for times), for the cursor. */
  value: Prisma.Sql;
  /** A cursor's value back into something comparable with `expr`. */
  param: (v: bigint) => Prisma.Sql;
  parts: (order: SortOrder) => Part[];
};

const whole: Part[] = [{ where: Prisma.sql`TRUE`, holds: (v) => v !== null, tied: false }];
const atMicros = (v: bigint) => Prisma.sql`(timestamptz 'epoch' + ${v.toString()}::bigint * interval '1 microsecond')`;
const countSort = (column: string): SortSpec => {
  const expr = Prisma.raw(`r.${column}`);
  const none: Part = { where: Prisma.sql`${expr} = 0`, holds: (v) => v === 0n, tied: true };
  const some: Part = { where: Prisma.sql`${expr} > 0`, holds: (v) => v !== null && v > 0n, tied: false };
  return {
    expr,
    value: Prisma.sql`${expr}::bigint`,
    param: (v) => Prisma.sql`${v.toString()}::bigint`,
    parts: (order) => (order === "asc" ? [none, some] : [some, none]),
  };
};
const DURATION = Prisma.sql`(r.ended_at - r.started_at)`;
const STARTED_US = Prisma.sql`(extract(epoch FROM r.started_at) * 1000000)::bigint`;

const SORTS: Record<RunSort, SortSpec> = {
  // runs_project_id_started_at_id_idx
  started: {
    expr: Prisma.sql`r.started_at`,
    value: STARTED_US,
    param: atMicros,
    parts: () => whole,
  },
  // runs_project_id_last_activity_at_idx: activity times rarely tie, so the id is sorted within a tie.
  activity: {
    expr: Prisma.sql`r.last_activity_at`,
    value: Prisma.sql`(extract(epoch FROM r.last_activity_at) * 1000000)::bigint`,
    param: atMicros,
    parts: () => whole,
  },
  // runs_sort_duration_idx (an expression index), then the start-time indexes
  duration: {
    expr: DURATION,
    value: Prisma.sql`(extract(epoch FROM ${DURATION}) * 1000000)::bigint`,
    param: (v) => Prisma.sql`(${v.toString()}::bigint * interval '1 microsecond')`,
    parts: () => [
      { where: Prisma.sql`${DURATION} IS NOT NULL`, holds: (v) => v !== null, tied: false },
      { where: Prisma.sql`${DURATION} IS NULL`, holds: (v) => v === null, tied: true },
    ],
  },
  steps: { ...countSort("step_count"), parts: () => whole }, // runs_project_id_step_count_id_idx
  tokens: { ...countSort("total_tokens"), parts: () => whole }, // runs_project_id_total_tokens_id_idx
  errors: countSort("error_count"), // runs_sort_errors_idx (error_count > 0), then the start-time indexes
  drift: countSort("drift_count"), // runs_sort_drift_idx (drift_count > 0), then the start-time indexes
};

/**
 * Runs in the requested order (newest first by default), keyset-paginated on (sort
 * value, id) so a deep page costs what the first does: each part of the order is read
 * from its index from where the cursor left off, and the next part only when the page
 * is not full yet. Every value is a bound parameter.
 */
export async function listRuns(db: Db, projectId: string, q: Omit<RunListQuery, "project">): Promise<RunPage> {
  const spec = SORTS[q.sort];
  const parts = spec.parts(q.order);
  const scope = Prisma.sql`r.project_id = ${projectId}::uuid`;
  const narrow: Prisma.Sql[] = [];
  // One status as `=`, so its index (status, started_at) also yields the start-time order; ANY does not on Postgres 15.
  if (q.status?.length === 1) narrow.push(Prisma.sql`r.status = ${q.status[0]}::"RunStatus"`);
  else if (q.status?.length) narrow.push(Prisma.sql`r.status = ANY (${q.status}::"RunStatus"[])`);
  if (q.agent) narrow.push(Prisma.sql`r.agent_id = ${q.agent}::uuid`);
  if (q.session) narrow.push(Prisma.sql`r.session_id = ${q.session}`);

  let first = 0;
  let after: Prisma.Sql | null = null;
  if (q.cursor) {
    const c = decodeRunCursor(q.cursor);
    if (!c) throw new InvalidCursorError("cursor: invalid, use nextCursor from a previous page");
    if (c.sort !== q.sort || c.order !== q.order)
      throw new InvalidCursorError(
        `cursor: made for sort=${c.sort}&order=${c.order}, not sort=${q.sort}&order=${q.order}; start again without it`,
      );
    first = parts.findIndex((p) => p.holds(c.value));
    if (first < 0) throw new InvalidCursorError("cursor: invalid, use nextCursor from a previous page");
    const op = Prisma.raw(q.order === "asc" ? ">" : "<");
    after =
      parts[first]!.tied || c.value === null
        ? Prisma.sql`(r.started_at, r.id) < (${atMicros(c.startedUs)}, ${c.id}::bpchar)`
        : Prisma.sql`(${spec.expr}, r.id) ${op} (${spec.param(c.value)}, ${c.id}::bpchar)`;
  }

  const dir = Prisma.raw(q.order === "asc" ? "ASC" : "DESC");
  const rows: PageRow[] = [];
  for (let i = first; i < parts.length && rows.length <= q.limit; i++) {
    const part = parts[i]!;
    rows.push(
      ...(await readPart(db, {
        own: [scope, part.where, ...(i === first && after ? [after] : [])],
        narrow,
        orderBy: part.tied ? Prisma.sql`r.started_at DESC, r.id DESC` : Prisma.sql`${spec.expr} ${dir}, r.id ${dir}`,
        // The start-time order has an index per filter (status, agent, session), and so do tied parts.
        probe: !part.tied && q.sort !== "started",
        value: spec.value,
        need: q.limit + 1 - rows.length,
      })),
    );
  }
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    runs: page.map(toSummary),
    nextCursor:
      rows.length > q.limit && last
        ? encodeRunCursor({ sort: q.sort, order: q.order, value: last.sort_value, startedUs: last.started_us, id: last.id })
        : null,
  };
}

/** Runs read in order past the index's first rows before a filtered part is read the filter's way. */
const PROBE_ROWS = 5000;

/**
 * One part of a page. Unfiltered, the sort's index gives the rows in order from the cursor on.
 * Filtered (status, agent, session), the planner reads that same index and skips what the filter
 * rejects, expecting matches spread through the order — but filters go with sizes (an agent's runs are
 * all small, failed runs are short), and when the matches sit at the far end it reads most of the
 * table (2–3 s with 1M runs). So a filtered part first reads at most PROBE_ROWS runs in order; if they
 * hold a full page, that is the page; otherwise the filter's own runs are read (its index) and sorted,
 * which costs what the filter keeps, not what the table holds.
 */
async function readPart(
  db: Db,
  p: { own: Prisma.Sql[]; narrow: Prisma.Sql[]; orderBy: Prisma.Sql; probe: boolean; value: Prisma.Sql; need: number },
): Promise<PageRow[]> {
  const select = Prisma.sql`SELECT ${RUN_COLUMNS}, ${p.value} AS sort_value, ${STARTED_US} AS started_us`;
  const all = Prisma.join([...p.own, ...p.narrow], " AND ");
  if (!p.narrow.length || !p.probe)
    return db.$queryRaw<PageRow[]>`${select} ${RUN_FROM} WHERE ${all} ORDER BY ${p.orderBy} LIMIT ${p.need}`;
  const probed = await db.$queryRaw<PageRow[]>`
    ${select}
    FROM (SELECT * FROM runs r WHERE ${Prisma.join(p.own, " AND ")} ORDER BY ${p.orderBy} LIMIT ${Math.max(PROBE_ROWS, 20 * p.need)}) r
    LEFT JOIN agents a ON a.id = r.agent_id
    WHERE ${Prisma.join(p.narrow, " AND ")}
    ORDER BY ${p.orderBy} LIMIT ${p.need}`;
  if (probed.length === p.need) return probed;
  return db.$queryRaw<PageRow[]>`
    WITH r AS MATERIALIZED (SELECT * FROM runs r WHERE ${all})
    ${select} FROM r LEFT JOIN agents a ON a.id = r.agent_id
    ORDER BY ${p.orderBy} LIMIT ${p.need}`;
}
