import type pg from "pg";
import { runtimePolicy, type PolicyFile, type RuntimePolicy } from "@/lib/policy/schema";

/**
 * The collector's side of agent_policies (the web app's is policies.ts): reading a project's
 * policies to evaluate drift and enforce actions, and writing the policy file's entries at
 * start-up. Plain `pg`: the collector does not load Prisma.
 */
/**
 * A project's policies as the collector applies them, by agent. A row that no longer
 * validates (written by an older version) is skipped and reported, rather than
 * stopping drift evaluation for the whole project.
 */
export async function readPolicies(
  pool: pg.Pool,
  projectId: string,
  onInvalid: (agent: string, message: string) => void = () => {},
): Promise<Record<string, RuntimePolicy>> {
  const { rows } = await pool.query<{ agent: string; policy: unknown }>(
    `SELECT agent, policy FROM agent_policies WHERE project_id = $1::uuid`,
    [projectId],
  );
  const agents: Record<string, RuntimePolicy> = {};
  for (const r of rows) {
    const parsed = runtimePolicy.safeParse(r.policy);
    if (parsed.success) agents[r.agent] = parsed.data;
    else onInvalid(r.agent, parsed.error.message);
  }
  return agents;
}

/**
 * Makes a project's "file" rows equal the policy file: its entries are written over
 * any row of the same agent (the file wins), and "file" rows of agents no longer in it
 * are deleted. Unchanged rows are not rewritten, so a restart does not touch them. One
 * statement: atomic without a transaction. `file` null (no file configured) removes
 * every "file" row.
 */
export async function syncPolicyFile(
  pool: pg.Pool,
  projectId: string,
  file: PolicyFile | null,
  updatedBy: string,
): Promise<{ written: string[]; removed: string[] }> {
  const entries = Object.entries(file?.agents ?? {});
  const { rows } = await pool.query<{ written: string[] | null; removed: string[] | null }>(
    `WITH gone AS (
      DELETE FROM agent_policies WHERE project_id = $1::uuid AND source = 'file' AND agent <> ALL($2::text[])
      RETURNING agent
    ), up AS (
      INSERT INTO agent_policies (project_id, agent, policy, source, updated_at, updated_by)
      SELECT $1::uuid, t.agent, t.policy::jsonb, 'file', now(), $4
      FROM unnest($2::text[], $3::text[]) AS t(agent, policy)
      ON CONFLICT (project_id, agent) DO UPDATE SET
        policy = EXCLUDED.policy, source = 'file', updated_at = now(), updated_by = EXCLUDED.updated_by
      WHERE (agent_policies.policy, agent_policies.source, agent_policies.updated_by)
        IS DISTINCT FROM (EXCLUDED.policy, EXCLUDED.source, EXCLUDED.updated_by)
      RETURNING agent
    )
    SELECT (SELECT array_agg(agent ORDER BY agent) FROM up) AS written, (SELECT array_agg(agent ORDER BY agent) FROM gone) AS removed`,
    [projectId, entries.map(([agent]) => agent), entries.map(([, p]) => JSON.stringify(p)), updatedBy],
  );
  return { written: rows[0]?.written ?? [], removed: rows[0]?.removed ?? [] };
}
