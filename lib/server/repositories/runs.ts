import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/prisma";
import type { RunListQuery, RunPage, RunSummary } from "@/lib/api/schemas";
import { decodeRunCursor, encodeRunCursor } from "@/lib/runs/cursor";

type RunRow = {
  id: string;
  name: string;
  status: RunSummary["status"];
  session_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  last_activity_at: Date;
  started_us: bigint;
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
const RUN_SELECT = Prisma.sql`
  SELECT r.id, r.name, r.status::text AS status, r.session_id, r.started_at, r.ended_at, r.last_activity_at,
         (extract(epoch FROM r.started_at) * 1000000)::bigint AS started_us,
         r.step_count, r.llm_call_count, r.tool_call_count, r.input_tokens, r.output_tokens, r.total_tokens,
         r.error_count, r.drift_count, a.id AS agent_id, a.service_name, a.instance_id
  FROM runs r LEFT JOIN agents a ON a.id = r.agent_id`;

export async function findRunSummary(db: Db, projectId: string, runId: string): Promise<RunSummary | null> {
  const rows = await db.$queryRaw<RunRow[]>`${RUN_SELECT} WHERE r.project_id = ${projectId}::uuid AND r.id = ${runId}`;
  return rows[0] ? toSummary(rows[0]) : null;
}

/**
 * Newest runs first, keyset-paginated on (started_at, id) so deep pages cost the
 * same as the first (index runs_project_id_started_at_id_idx). Every value is a bound parameter.
 */
export async function listRuns(db: Db, projectId: string, q: Omit<RunListQuery, "project">): Promise<RunPage> {
  const where: Prisma.Sql[] = [Prisma.sql`r.project_id = ${projectId}::uuid`];
  if (q.status?.length) where.push(Prisma.sql`r.status::text IN (${Prisma.join(q.status)})`);
  if (q.agent) where.push(Prisma.sql`r.agent_id = ${q.agent}::uuid`);
  if (q.session) where.push(Prisma.sql`r.session_id = ${q.session}`);
  if (q.cursor) {
    const c = decodeRunCursor(q.cursor);
    if (!c) throw new InvalidCursorError("invalid cursor");
    where.push(
      Prisma.sql`(r.started_at, r.id) < (timestamptz 'epoch' + ${c.startedUs.toString()}::bigint * interval '1 microsecond', ${c.id})`,
    );
  }
  const rows = await db.$queryRaw<RunRow[]>`
    ${RUN_SELECT}
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY r.started_at DESC, r.id DESC
    LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    runs: page.map(toSummary),
    nextCursor: rows.length > q.limit && last ? encodeRunCursor({ startedUs: last.started_us, id: last.id }) : null,
  };
}
