import { runListQuery } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { InvalidCursorError, listRuns } from "@/lib/server/repositories/runs";

/** GET /api/v1/runs?status=live,error&agent=<uuid>&session=<id>&sort=tokens&order=desc&cursor=<next>&limit=50 */
export const GET = withAuth("read", async ({ req, db, project }) => {
  const query = runListQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  try {
    return json(await listRuns(db, project.id, query));
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new ApiError("bad_request", error.message);
    throw error;
  }
});
