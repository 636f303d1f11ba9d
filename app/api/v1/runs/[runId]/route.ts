import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { getRunDetailWire } from "@/lib/server/repositories/run-detail";

/** GET /api/v1/runs/{runId}: the run, its steps, causal edges and drift points (no message bodies), in columns. */
export const GET = withAuth<{ runId: string }>("read", async ({ db, project, params }) => {
  const runId = params.runId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(runId)) throw new ApiError("not_found", "Run not found: a run id is a 32-character hex trace id.");
  const detail = await getRunDetailWire(db, project.id, runId);
  if (!detail) throw new ApiError("not_found", "Run not found.");
  return json(detail);
});
