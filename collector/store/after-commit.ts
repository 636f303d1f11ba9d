import type pg from "pg";
import { RUNS_CHANNEL, type RunRef } from "@/lib/live/channels";
import { runsChangedPayloads } from "@/collector/store/notify";
import type { WriteResult } from "@/collector/store/writer";

/**
 * After a commit, outside any write transaction, in one statement: last_seen_at of the agents and sessions written
 * to, sessions' run counts (counted, so they stay exact), and the "run changed" notifications for live views
 * (collector/store/notify.ts).
 */
export async function afterCommit(pool: pg.Pool, touched: WriteResult["touched"], runs: RunRef[]): Promise<void> {
  const { agents, sessions } = touched;
  if (agents.length === 0 && sessions.length === 0 && runs.length === 0) return;
  await pool.query(
    `WITH seen_agents AS (
       UPDATE agents a SET last_seen_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(p, s, i)
       WHERE a.project_id = t.p AND a.service_name = t.s AND a.instance_id = t.i
     ), seen_sessions AS (
       UPDATE sessions s SET last_seen_at = now(),
         run_count = (SELECT count(*) FROM runs r WHERE r.project_id = s.project_id AND r.session_id = s.id)
       FROM unnest($4::uuid[], $5::text[]) AS t(p, id) WHERE s.project_id = t.p AND s.id = t.id
     )
     SELECT pg_notify($6, payload) FROM unnest($7::text[]) AS payload`,
    [
      agents.map((a) => a.projectId),
      agents.map((a) => a.serviceName),
      agents.map((a) => a.instanceId),
      sessions.map((x) => x.projectId),
      sessions.map((x) => x.sessionId),
      RUNS_CHANNEL,
      runsChangedPayloads(runs),
    ],
  );
}
