import { searchRequest } from "@/lib/api/search-schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { SearchSyntaxError } from "@/lib/search/errors";
import { InvalidSearchCursorError, SearchTimeoutError, searchMoments } from "@/lib/server/repositories/search";

/**
 * GET /api/v1/search?q=<query>&cursor=<nextCursor>&limit=50 — drift points and matching runs, newest
 * first (language: lib/search/README.md). A query the language does not accept is a 400 whose
 * error also carries `position: {start, end}` of the bad token.
 */
export const GET = withAuth("read", async ({ req, db, project }) => {
  const { q, cursor, limit } = searchRequest.parse(Object.fromEntries(new URL(req.url).searchParams));
  try {
    return json(await searchMoments(db, project.id, { q, cursor, limit }));
  } catch (error) {
    if (error instanceof SearchSyntaxError)
      return json({ error: { code: "bad_request", message: error.message, position: error.span } }, 400);
    if (error instanceof InvalidSearchCursorError)
      throw new ApiError(
        "bad_request",
        "cursor: invalid for this query; use nextCursor from the previous page of the same query",
      );
    if (error instanceof SearchTimeoutError) throw new ApiError("bad_request", error.message);
    throw error;
  }
});
