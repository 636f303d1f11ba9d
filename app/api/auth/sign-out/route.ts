import { json } from "@/lib/server/api/errors";
import { withPublic } from "@/lib/server/api/handler";
import { clearSessionCookie, readCookie, sessionCookieName } from "@/lib/server/auth/cookies";
import { deleteUserSession } from "@/lib/server/repositories/user-sessions";

export const POST = withPublic(async ({ req, db, env }) => {
  const token = readCookie(req.headers.get("cookie"), sessionCookieName(env.publicUrl));
  if (token) await deleteUserSession(db, token);
  return json({ ok: true }, 200, { "set-cookie": clearSessionCookie(env.publicUrl) });
});
