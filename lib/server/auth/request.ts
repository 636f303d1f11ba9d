import type { Principal } from "@/lib/auth/access";
import type { Db } from "@/lib/server/db/prisma";
import type { WebEnv } from "@/lib/server/env";
import { readCookie, sessionCookieName } from "@/lib/server/auth/cookies";
import { secretsEqual } from "@/lib/server/auth/tokens";
import { findApiKeyPrincipal } from "@/lib/server/repositories/api-keys";
import { findSessionPrincipal } from "@/lib/server/repositories/user-sessions";

export type Authenticated = { principal: Principal; via: "cookie" | "bearer" };

/**
 * Who is calling: a bearer credential (admin token or API key) or a session cookie.
 * A bearer header that does not verify is an error even if a cookie is present:
 * silently falling back would hide a misconfigured client.
 */
export async function authenticate(
  db: Db,
  env: Pick<WebEnv, "CAUSEWAY_ADMIN_TOKEN" | "CAUSEWAY_SESSION_DAYS" | "publicUrl">,
  headers: Headers,
): Promise<Authenticated | null> {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1]?.trim();
  if (bearer) {
    if (env.CAUSEWAY_ADMIN_TOKEN && secretsEqual(bearer, env.CAUSEWAY_ADMIN_TOKEN))
      return { principal: { kind: "admin_token" }, via: "bearer" };
    const principal = await findApiKeyPrincipal(db, bearer);
    return principal && { principal, via: "bearer" };
  }
  const token = readCookie(headers.get("cookie"), sessionCookieName(env.publicUrl));
  if (!token) return null;
  const principal = await findSessionPrincipal(db, token, env.CAUSEWAY_SESSION_DAYS);
  return principal && { principal, via: "cookie" };
}

/**
 * CSRF defence for cookie-authenticated writes: the browser's Origin (or
 * Sec-Fetch-Site) must show the request came from Causeway's own pages
 * (OWASP "verify origin with standard headers"; SameSite=Lax is the second layer).
 */
export function isSameOrigin(req: Request, publicUrl: URL): boolean {
  const origin = req.headers.get("origin");
  if (origin) return origin === publicUrl.origin || origin === new URL(req.url).origin;
  return req.headers.get("sec-fetch-site") === "same-origin";
}

export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
