import type { Db } from "@/lib/server/db/prisma";
import type { AgentList } from "@/lib/api/schemas";

/** How many agents GET /api/v1/agents returns at most (a select lists them all). */
export const AGENT_LIST_CAP = 1000;

type AgentRow = { id: string; service_name: string; instance_id: string; first_seen_at: Date; last_seen_at: Date };

/**
 * The project's agents by service name, then the most recently seen instance first, for the run list's
 * agent filter. Index agents_project_id_service_name_idx; one row past the cap tells that some were left out.
 */
export async function listAgents(db: Db, projectId: string): Promise<AgentList> {
  const rows = await db.$queryRaw<AgentRow[]>`
    SELECT id, service_name, instance_id, first_seen_at, last_seen_at FROM agents
    WHERE project_id = ${projectId}::uuid
    ORDER BY service_name, last_seen_at DESC, id
    LIMIT ${AGENT_LIST_CAP + 1}`;
  return {
    agents: rows.slice(0, AGENT_LIST_CAP).map((r) => ({
      id: r.id,
      serviceName: r.service_name,
      instanceId: r.instance_id,
      firstSeenAt: r.first_seen_at.toISOString(),
      lastSeenAt: r.last_seen_at.toISOString(),
    })),
    truncated: rows.length > AGENT_LIST_CAP,
  };
}
