import { can, type Permission, type Principal } from "@/lib/auth/access";
import { getDb, type Db } from "@/lib/server/db";
import { webEnv, type WebEnv } from "@/lib/server/env";
import { ApiError, errorResponse } from "@/lib/server/api/errors";
import { authenticate, isSameOrigin } from "@/lib/server/auth/request";
import { findProjectBySlug, DEFAULT_PROJECT_SLUG, type ProjectView } from "@/lib/server/repositories/projects";

type Params = Record<string, string>;
export type ApiContext<P extends Params = Params> = {
  req: Request;
  db: Db;
  env: WebEnv;
  principal: Principal;
  project: ProjectView;
  params: P;
};
type RouteContext<P> = { params: Promise<P> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Wraps a route handler: authenticates, checks CSRF for cookie writes, resolves the
 * project (`?project=slug`, default "default"), checks the permission there, and maps
 * errors to responses. Handlers stay short and never see an unauthorized request.
 */
export function withAuth<P extends Params = Params>(permission: Permission, handler: (ctx: ApiContext<P>) => Promise<Response>) {
  return async (req: Request, route?: RouteContext<P>): Promise<Response> => {
    try {
      const db = getDb();
      const env = webEnv();
      const auth = await authenticate(db, env, req.headers);
      if (!auth) throw new ApiError("unauthorized", "Sign in or send a valid `Authorization: Bearer` credential.");
      if (auth.via === "cookie" && !SAFE_METHODS.has(req.method) && !isSameOrigin(req, env.publicUrl))
        throw new ApiError("forbidden", "Cross-origin request refused (CSRF protection).");
      const slug = new URL(req.url).searchParams.get("project") ?? DEFAULT_PROJECT_SLUG;
      const project = await findProjectBySlug(db, slug);
      if (!project) throw new ApiError("not_found", `Project "${slug}" not found.`);
      if (!can(auth.principal, permission, project.id))
        throw new ApiError("forbidden", `This needs the ${permission} permission in project "${slug}".`);
      const params = ((await route?.params) ?? {}) as P;
      return await handler({ req, db, env, principal: auth.principal, project, params });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** For the few public routes (sign-in, setup): same error mapping, CSRF check on writes. */
export function withPublic(handler: (ctx: { req: Request; db: Db; env: WebEnv }) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    try {
      const env = webEnv();
      if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req, env.publicUrl))
        throw new ApiError("forbidden", "Cross-origin request refused (CSRF protection).");
      return await handler({ req, db: getDb(), env });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ApiError("bad_request", "The request body must be JSON.");
  }
}
