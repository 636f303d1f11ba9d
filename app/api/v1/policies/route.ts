import { json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { listAgentNames, listPolicies } from "@/lib/server/repositories/policies";

/** GET /api/v1/policies: the project's runtime policies (UI and policy file) and the agents seen so far. */
export const GET = withAuth("read", async ({ db, project }) =>
  json({ policies: await listPolicies(db, project.id), agents: await listAgentNames(db, project.id) }),
);
