import { sessionListQuery } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { InvalidSessionCursorError, listSessions } from "@/lib/server/repositories/sessions";

/** GET /api/v1/sessions?q=<id prefix>&cursor=<next>&limit=50 */
export const GET = withAuth("read", async ({ req, db, project }) => {
  const query = sessionListQuery.parse(Object.fromEntries(new URL(req.url).searchParams));
  try {
    return json(await listSessions(db, project.id, query));
  } catch (error) {
    if (error instanceof InvalidSessionCursorError)
      throw new ApiError("bad_request", "cursor: invalid, use nextCursor from a previous page");
    throw error;
  }
});
