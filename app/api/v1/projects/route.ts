import { json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { listProjects } from "@/lib/server/repositories/projects";

/** Projects the caller can see: all for people, its own for an API key. */
export const GET = withAuth("read", async ({ db, principal }) => {
  const projects = await listProjects(db);
  return json({ projects: principal.kind === "api_key" ? projects.filter((p) => p.id === principal.projectId) : projects });
});
