import type { Db } from "@/lib/server/db/prisma";

/**
 * Sliding-window limit stored in Postgres, so it holds across web replicas and restarts.
 * `hit` records an attempt and tells whether it is within the limit.
 */
export async function rateLimitHit(
  db: Db,
  key: string,
  limit: { max: number; windowMs: number },
): Promise<{ allowed: boolean; retryAfterS: number }> {
  const since = new Date(Date.now() - limit.windowMs);
  const recent = await db.rateLimitHit.findMany({
    where: { key, at: { gte: since } },
    orderBy: { at: "asc" },
    select: { at: true },
    take: limit.max,
  });
  if (recent.length >= limit.max) {
    const oldest = recent[0]!.at.getTime();
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((oldest + limit.windowMs - Date.now()) / 1000)) };
  }
  await db.rateLimitHit.create({ data: { key } });
  return { allowed: true, retryAfterS: 0 };
}

export async function rateLimitReset(db: Db, key: string): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { key } });
}

export async function rateLimitPrune(db: Db, olderThanMs: number): Promise<void> {
  await db.rateLimitHit.deleteMany({ where: { at: { lt: new Date(Date.now() - olderThanMs) } } });
}
