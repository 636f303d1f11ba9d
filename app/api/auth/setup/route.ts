import { setupBody } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withPublic } from "@/lib/server/api/handler";
import { sessionCookie } from "@/lib/server/auth/cookies";
import { clientIp } from "@/lib/server/auth/request";
import { secretsEqual } from "@/lib/server/auth/tokens";
import { recordAudit } from "@/lib/server/repositories/audit";
import { createUserSession } from "@/lib/server/repositories/user-sessions";
import { createFirstAdmin } from "@/lib/server/repositories/users";

/**
 * First run: creates the first admin and signs them in. Only while no user exists,
 * and only with the setup code `npm start` printed (so whoever reaches a fresh
 * instance first over the network cannot claim it).
 */
export const POST = withPublic(async ({ req, db, env }) => {
  const body = setupBody.parse(await readJson(req));
  if (env.CAUSEWAY_SETUP_CODE && !secretsEqual(body.code ?? "", env.CAUSEWAY_SETUP_CODE))
    throw new ApiError("forbidden", "Wrong setup code: use the link `npm start` printed.");
  const user = await createFirstAdmin(db, body);
  if (!user) throw new ApiError("conflict", "Causeway is already set up: sign in instead.");
  await recordAudit(db, null, "setup.first-admin", { target: user.email });
  const { token, expiresAt } = await createUserSession(db, user.id, {
    days: env.CAUSEWAY_SESSION_DAYS,
    ip: clientIp(req.headers),
    userAgent: req.headers.get("user-agent") ?? undefined,
  });
  return json({ user }, 201, { "set-cookie": sessionCookie(env.publicUrl, token, expiresAt) });
});
