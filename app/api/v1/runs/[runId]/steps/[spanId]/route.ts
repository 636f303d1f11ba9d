import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { getStepDetail, runExists } from "@/lib/server/repositories/step-detail";

/**
 * GET /api/v1/runs/{runId}/steps/{spanId}: one step with its bodies — attributes, events, payloads,
 * resolved messages and, for model calls, the context diff against the previous call (StepDetail).
 */
export const GET = withAuth<{ runId: string; spanId: string }>("read", async ({ db, project, params }) => {
  const runId = params.runId.toLowerCase();
  const spanId = params.spanId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(runId)) throw new ApiError("not_found", "Run not found: a run id is a 32-character hex trace id.");
  if (!/^[0-9a-f]{16}$/.test(spanId)) throw new ApiError("not_found", "Step not found: a step id is a 16-character hex span id.");
  const detail = await getStepDetail(db, project.id, runId, spanId);
  if (detail) return json(detail);
  if (!(await runExists(db, project.id, runId))) throw new ApiError("not_found", "Run not found.");
  throw new ApiError("not_found", `Step ${spanId} not found in run ${runId}.`);
});
