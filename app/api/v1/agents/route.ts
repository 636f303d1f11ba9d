import { json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { listAgents } from "@/lib/server/repositories/agents";

/** GET /api/v1/agents: the project's agents (service name + instance), for filtering runs by `agent=<id>`. */
export const GET = withAuth("read", async ({ db, project }) => json(await listAgents(db, project.id)));
