import { signInBody } from "@/lib/api/schemas";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withPublic } from "@/lib/server/api/handler";
import { verifyPassword } from "@/lib/server/auth/password";
import { sessionCookie } from "@/lib/server/auth/cookies";
import { clientIp } from "@/lib/server/auth/request";
import { secretsEqual } from "@/lib/server/auth/tokens";
import { recordAudit } from "@/lib/server/repositories/audit";
import { rateLimitHit, rateLimitReset } from "@/lib/server/repositories/rate-limit";
import { createUserSession } from "@/lib/server/repositories/user-sessions";
import { ensureAdminTokenUser, findUserByEmail, normalizeEmail } from "@/lib/server/repositories/users";

const PER_ACCOUNT = { max: 5, windowMs: 15 * 60_000 };
const PER_IP = { max: 30, windowMs: 15 * 60_000 };

/** Password or admin-token sign-in. Failed attempts are rate-limited per account and per address. */
export const POST = withPublic(async ({ req, db, env }) => {
  const body = signInBody.parse(await readJson(req));
  const ip = clientIp(req.headers);
  const accountKey = `sign-in:${"email" in body ? normalizeEmail(body.email) : "admin-token"}`;
  for (const [key, limit] of [
    [accountKey, PER_ACCOUNT],
    [`sign-in-ip:${ip}`, PER_IP],
  ] as const) {
    const { allowed, retryAfterS } = await rateLimitHit(db, key, limit);
    if (!allowed)
      throw new ApiError("rate_limited", `Too many sign-in attempts; try again in ${retryAfterS} s.`, {
        "retry-after": String(retryAfterS),
      });
  }

  let userId: string | null = null;
  if ("token" in body) {
    if (env.CAUSEWAY_ADMIN_TOKEN && secretsEqual(body.token, env.CAUSEWAY_ADMIN_TOKEN))
      userId = (await ensureAdminTokenUser(db)).id;
  } else {
    const user = await findUserByEmail(db, body.email);
    if (user && !user.disabledAt && (await verifyPassword(body.password, user.passwordHash))) userId = user.id;
  }
  if (!userId) {
    await recordAudit(db, null, "sign-in.failed", { target: accountKey.slice(8), details: { ip } });
    throw new ApiError("unauthorized", "Wrong email or password.");
  }
  await rateLimitReset(db, accountKey);
  const { token, expiresAt } = await createUserSession(db, userId, {
    days: env.CAUSEWAY_SESSION_DAYS,
    ip,
    userAgent: req.headers.get("user-agent") ?? undefined,
  });
  return json({ ok: true }, 200, { "set-cookie": sessionCookie(env.publicUrl, token, expiresAt) });
});
