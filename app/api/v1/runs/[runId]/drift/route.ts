import { normalizeRunId } from "@/lib/control/state";
import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { getRunDrift } from "@/lib/server/repositories/drift";

/** GET /api/v1/runs/{runId}/drift: the run's drift points with their evidence (RunDrift). */
export const GET = withAuth<{ runId: string }>("read", async ({ db, project, params }) => {
  const runId = normalizeRunId(params.runId);
  if (!runId) throw new ApiError("not_found", "Run not found: a run id is a 32-character hex trace id.");
  const driftPoints = await getRunDrift(db, project.id, runId);
  if (!driftPoints) throw new ApiError("not_found", "Run not found.");
  return json({ driftPoints });
});
