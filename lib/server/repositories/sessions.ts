import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/prisma";
import { SESSION_AGENT_NAMES, type SessionListQuery, type SessionPage, type SessionSummary } from "@/lib/api/schemas";
import { decodeSessionCursor, encodeSessionCursor } from "@/lib/sessions/cursor";

type SessionRow = {
  id: string;
  first_seen_at: Date;
  last_seen_at: Date;
  last_seen_us: bigint;
  started_at: Date | null;
  last_activity_at: Date | null;
  run_count: number;
  live_run_count: number;
  error_run_count: number;
  step_count: bigint;
  llm_call_count: bigint;
  tool_call_count: bigint;
  input_tokens: bigint;
  output_tokens: bigint;
  total_tokens: bigint;
  error_count: bigint;
  drift_count: bigint;
  agent_names: string[] | null;
  agent_count: number;
};

const toSummary = (r: SessionRow): SessionSummary => ({
  id: r.id,
  firstSeenAt: r.first_seen_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  lastActivityAt: r.last_activity_at?.toISOString() ?? null,
  runCount: r.run_count,
  liveRunCount: r.live_run_count,
  errorRunCount: r.error_run_count,
  stepCount: Number(r.step_count),
  llmCallCount: Number(r.llm_call_count),
  toolCallCount: Number(r.tool_call_count),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  totalTokens: Number(r.total_tokens),
  errorCount: Number(r.error_count),
  driftCount: Number(r.drift_count),
  agents: r.agent_names ?? [],
  agentCount: r.agent_count,
});

export class InvalidSessionCursorError extends Error {}

/**
 * Sessions with the newest activity first, keyset-paginated on (last_seen_at, id)
 * (index sessions_project_id_last_seen_at_idx). The page is chosen first, then each of
 * its sessions adds up its runs through runs_project_id_session_id_started_at_idx, so a
 * page costs the runs of its own sessions whatever the size of the project (50–100 ms
 * for a page holding a 14k-run session among 1M runs). `q` keeps ids starting with it:
 * a filter on that same scan, bounded by the number of sessions (no index serves a
 * prefix under every collation). Every value is a bound parameter.
 */
export async function listSessions(db: Db, projectId: string, q: Omit<SessionListQuery, "project">): Promise<SessionPage> {
  const where: Prisma.Sql[] = [Prisma.sql`s.project_id = ${projectId}::uuid`];
  if (q.q) where.push(Prisma.sql`starts_with(s.id, ${q.q})`);
  if (q.cursor) {
    const c = decodeSessionCursor(q.cursor);
    if (!c) throw new InvalidSessionCursorError("invalid cursor");
    where.push(
      Prisma.sql`(s.last_seen_at, s.id) < (timestamptz 'epoch' + ${c.lastSeenUs.toString()}::bigint * interval '1 microsecond', ${c.id})`,
    );
  }
  const rows = await db.$queryRaw<SessionRow[]>`
    WITH page AS (
      SELECT s.project_id, s.id, s.first_seen_at, s.last_seen_at
      FROM sessions s
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY s.last_seen_at DESC, s.id DESC
      LIMIT ${q.limit + 1}
    )
    SELECT p.id, p.first_seen_at, p.last_seen_at, (extract(epoch FROM p.last_seen_at) * 1000000)::bigint AS last_seen_us,
           agg.started_at, agg.last_activity_at, agg.run_count, agg.live_run_count, agg.error_run_count,
           agg.step_count, agg.llm_call_count, agg.tool_call_count, agg.input_tokens, agg.output_tokens,
           agg.total_tokens, agg.error_count, agg.drift_count, names.agent_names, names.agent_count
    FROM page p
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS run_count,
             (count(*) FILTER (WHERE r.status = 'live'))::int AS live_run_count,
             (count(*) FILTER (WHERE r.status = 'error'))::int AS error_run_count,
             min(r.started_at) AS started_at, max(r.last_activity_at) AS last_activity_at,
             coalesce(sum(r.step_count), 0)::bigint AS step_count,
             coalesce(sum(r.llm_call_count), 0)::bigint AS llm_call_count,
             coalesce(sum(r.tool_call_count), 0)::bigint AS tool_call_count,
             coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens,
             coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens,
             coalesce(sum(r.total_tokens), 0)::bigint AS total_tokens,
             coalesce(sum(r.error_count), 0)::bigint AS error_count,
             coalesce(sum(r.drift_count), 0)::bigint AS drift_count,
             array_agg(DISTINCT r.agent_id) FILTER (WHERE r.agent_id IS NOT NULL) AS agent_ids
      FROM runs r
      WHERE r.project_id = p.project_id AND r.session_id = p.id
    ) agg
    CROSS JOIN LATERAL (
      SELECT (array_agg(x.name ORDER BY x.name))[1:${SESSION_AGENT_NAMES}] AS agent_names, count(*)::int AS agent_count
      FROM (SELECT DISTINCT a.service_name AS name FROM agents a WHERE a.id = ANY (agg.agent_ids)) x
    ) names
    ORDER BY p.last_seen_at DESC, p.id DESC`;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    sessions: page.map(toSummary),
    nextCursor: rows.length > q.limit && last ? encodeSessionCursor({ lastSeenUs: last.last_seen_us, id: last.id }) : null,
  };
}
