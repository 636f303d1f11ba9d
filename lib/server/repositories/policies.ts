import type { Db } from "@/lib/server/db/prisma";
import type { PolicyView } from "@/lib/api/policy-schemas";
import { runtimePolicy, type PolicyFile, type RuntimePolicy } from "@/lib/policy/schema";

/**
 * Runtime policies per project and agent (table agent_policies). The web app edits
 * rows of source "ui"; the collector writes the entries of CAUSEWAY_POLICY_FILE as rows
 * of source "file" at start-up (they win over a UI row of the same agent) and reads a
 * project's rows to evaluate drift and enforce actions.
 */
type Row = { agent: string; policy: unknown; source: "ui" | "file"; updated_at: Date; updated_by: string };

const toView = (r: Row): PolicyView => ({
  agent: r.agent,
  policy: runtimePolicy.parse(r.policy),
  source: r.source,
  updatedAt: r.updated_at.toISOString(),
  updatedBy: r.updated_by,
});

/** The fallback `*` first, then agents by name. */
export async function listPolicies(db: Db, projectId: string): Promise<PolicyView[]> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT agent, policy, source::text AS source, updated_at, updated_by FROM agent_policies
    WHERE project_id = ${projectId}::uuid ORDER BY agent <> '*', agent`;
  return rows.map(toView);
}

export async function getPolicy(db: Db, projectId: string, agent: string): Promise<PolicyView | null> {
  const [row] = await db.$queryRaw<Row[]>`
    SELECT agent, policy, source::text AS source, updated_at, updated_by FROM agent_policies
    WHERE project_id = ${projectId}::uuid AND agent = ${agent}`;
  return row ? toView(row) : null;
}

/** The service.names the project has seen, for choosing whom a policy is for. */
export async function listAgentNames(db: Db, projectId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ service_name: string }[]>`
    SELECT DISTINCT service_name FROM agents WHERE project_id = ${projectId}::uuid ORDER BY service_name LIMIT 1000`;
  return rows.map((r) => r.service_name);
}

export type SaveOutcome = { kind: "saved"; policy: PolicyView; created: boolean } | { kind: "file"; policy: PolicyView };

/**
 * Creates or replaces an agent's policy. A row from the policy file is left alone (in
 * the same statement, so a collector writing the file at that moment cannot be undone).
 */
export async function savePolicy(
  db: Db,
  projectId: string,
  agent: string,
  policy: RuntimePolicy,
  updatedBy: string,
): Promise<SaveOutcome> {
  const [row] = await db.$queryRaw<(Row & { created: boolean })[]>`
    INSERT INTO agent_policies (project_id, agent, policy, source, updated_at, updated_by)
    VALUES (${projectId}::uuid, ${agent}, ${JSON.stringify(policy)}::jsonb, 'ui', now(), ${updatedBy})
    ON CONFLICT (project_id, agent) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now(), updated_by = EXCLUDED.updated_by
    WHERE agent_policies.source = 'ui'
    RETURNING agent, policy, source::text AS source, updated_at, updated_by, (xmax = 0) AS created`;
  if (row) return { kind: "saved", policy: toView(row), created: row.created };
  return { kind: "file", policy: (await getPolicy(db, projectId, agent))! };
}

export type DeleteOutcome =
  { kind: "deleted"; policy: PolicyView } | { kind: "file"; policy: PolicyView } | { kind: "not_found" };

export async function deletePolicy(db: Db, projectId: string, agent: string): Promise<DeleteOutcome> {
  const [row] = await db.$queryRaw<Row[]>`
    DELETE FROM agent_policies WHERE project_id = ${projectId}::uuid AND agent = ${agent} AND source = 'ui'
    RETURNING agent, policy, source::text AS source, updated_at, updated_by`;
  if (row) return { kind: "deleted", policy: toView(row) };
  const kept = await getPolicy(db, projectId, agent);
  return kept ? { kind: "file", policy: kept } : { kind: "not_found" };
}

/**
 * A project's policies as the collector applies them, by agent. A row that no longer
 * validates (written by an older version) is skipped and reported, rather than
 * stopping drift evaluation for the whole project.
 */
export async function readPolicies(
  db: Db,
  projectId: string,
  onInvalid: (agent: string, message: string) => void = () => {},
): Promise<Record<string, RuntimePolicy>> {
  const rows = await db.$queryRaw<{ agent: string; policy: unknown }[]>`
    SELECT agent, policy FROM agent_policies WHERE project_id = ${projectId}::uuid`;
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
  db: Db,
  projectId: string,
  file: PolicyFile | null,
  updatedBy: string,
): Promise<{ written: string[]; removed: string[] }> {
  const entries = Object.entries(file?.agents ?? {});
  const [result] = await db.$queryRaw<{ written: string[] | null; removed: string[] | null }[]>`
    WITH gone AS (
      DELETE FROM agent_policies WHERE project_id = ${projectId}::uuid AND source = 'file'
        AND agent <> ALL(${entries.map(([agent]) => agent)}::text[])
      RETURNING agent
    ), up AS (
      INSERT INTO agent_policies (project_id, agent, policy, source, updated_at, updated_by)
      SELECT ${projectId}::uuid, t.agent, t.policy::jsonb, 'file', now(), ${updatedBy}
      FROM unnest(${entries.map(([agent]) => agent)}::text[], ${entries.map(([, p]) => JSON.stringify(p))}::text[]) AS t(agent, policy)
      ON CONFLICT (project_id, agent) DO UPDATE SET
        policy = EXCLUDED.policy, source = 'file', updated_at = now(), updated_by = EXCLUDED.updated_by
      WHERE (agent_policies.policy, agent_policies.source, agent_policies.updated_by)
        IS DISTINCT FROM (EXCLUDED.policy, EXCLUDED.source, EXCLUDED.updated_by)
      RETURNING agent
    )
    SELECT (SELECT array_agg(agent ORDER BY agent) FROM up) AS written, (SELECT array_agg(agent ORDER BY agent) FROM gone) AS removed`;
  return { written: result?.written ?? [], removed: result?.removed ?? [] };
}
