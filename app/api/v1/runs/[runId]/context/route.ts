import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { getContextSeries } from "@/lib/server/repositories/step-detail";

/** GET /api/v1/runs/{runId}/context: context size (messages, bytes, input tokens) per model call (ContextSeries). */
export const GET = withAuth<{ runId: string }>("read", async ({ db, project, params }) => {
  const runId = params.runId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(runId)) throw new ApiError("not_found", "Run not found: a run id is a 32-character hex trace id.");
  const series = await getContextSeries(db, project.id, runId);
  if (!series) throw new ApiError("not_found", "Run not found.");
  return json(series);
});
