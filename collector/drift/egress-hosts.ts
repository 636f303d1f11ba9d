import { egressHosts } from "@/lib/drift/egress";
import type { DriftStep } from "@/lib/drift/types";
import type { Queryable } from "@/collector/drift/load";

/**
 * Records the hosts a run called and returns those the agent had called in other runs
 * first — what the new-egress detector compares against. One statement: the insert
 * claims hosts nobody had (this run becomes their first run), the select, seeing the
 * table as it was before the statement, returns hosts first called by another run.
 * Re-evaluating the run gives the same answer; two runs racing for a host agree.
 */
export async function knownHostsBefore(
  db: Queryable,
  projectId: string,
  serviceName: string,
  runId: string,
  steps: readonly DriftStep[],
): Promise<Set<string>> {
  const hosts = [...egressHosts(steps)].map(([host, calls]) => ({ host, spanId: calls[0]!.spanId }));
  if (hosts.length === 0) return new Set();
  const { rows } = await db.query<{ host: string }>(
    `WITH claimed AS (
       INSERT INTO agent_egress_hosts (project_id, service_name, host, first_run_id, first_span_id)
       SELECT $1, $2, h, $3, s FROM unnest($4::text[], $5::text[]) AS t(h, s)
       ON CONFLICT (project_id, service_name, host) DO NOTHING
       RETURNING host)
     SELECT host FROM agent_egress_hosts
     WHERE project_id = $1 AND service_name = $2 AND host = ANY($4::text[]) AND first_run_id <> $3`,
    [projectId, serviceName, runId, hosts.map((h) => h.host), hosts.map((h) => h.spanId)],
  );
  return new Set(rows.map((r) => r.host));
}
