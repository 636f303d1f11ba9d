import type { Db } from "@/lib/server/db/prisma";
import type { PolicyView } from "@/lib/api/policy-schemas";
import { runtimePolicy, type RuntimePolicy } from "@/lib/policy/schema";

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
