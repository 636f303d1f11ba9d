import type { Db } from "@/lib/server/db/prisma";
import type { Principal } from "@/lib/auth/access";
import { hashSecret, newSecret } from "@/lib/server/auth/tokens";

const DAY_MS = 86_400_000;
/** lastSeenAt/expiry are refreshed at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export async function createUserSession(
  db: Db,
  userId: string,
  opts: { days: number; ip?: string; userAgent?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + opts.days * DAY_MS);
  await db.userSession.create({
    data: { userId, tokenHash: hashSecret(token), expiresAt, ip: opts.ip, userAgent: opts.userAgent?.slice(0, 300) },
  });
  await db.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
  return { token, expiresAt };
}

/** The signed-in user for a session cookie, or null if unknown, expired or disabled. Sliding expiry. */
export async function findSessionPrincipal(db: Db, token: string, days: number): Promise<Principal | null> {
  const session = await db.userSession.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!session || session.expiresAt.getTime() < Date.now() || session.user.disabledAt) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.userSession.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(), expiresAt: new Date(Date.now() + days * DAY_MS) },
    });
  }
  const { user } = session;
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role: user.role, sessionId: session.id };
}

export async function deleteUserSession(db: Db, token: string): Promise<void> {
  await db.userSession.deleteMany({ where: { tokenHash: hashSecret(token) } });
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  const { count } = await db.userSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
