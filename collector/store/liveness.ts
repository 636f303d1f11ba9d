import type pg from "pg";

/**
 * A run is live until its root span ends — or until it goes quiet: some runs never
 * export a root (crashed process, sampling). Runs with no new span for `idleSeconds`
 * (server time, so agent clock skew does not matter) are ended with the status their
 * spans suggest; if spans arrive later the run becomes live again (writer.ts).
 * Idempotent, so every collector replica may run it.
 */
export async function endQuietRuns(pool: pg.Pool, idleSeconds: number): Promise<{ projectId: string; runId: string }[]> {
  const { rows } = await pool.query<{ project_id: string; id: string }>(
    `UPDATE runs SET
       status = (CASE WHEN error_count > 0 THEN 'error' ELSE 'ok' END)::"RunStatus",
       ended_at = last_activity_at,
       updated_at = now()
     WHERE status = 'live' AND updated_at < now() - make_interval(secs => $1)
     RETURNING project_id, id`,
    [idleSeconds],
  );
  return rows.map((r) => ({ projectId: r.project_id, runId: r.id }));
}
