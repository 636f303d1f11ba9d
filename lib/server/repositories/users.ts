import type { Db } from "@/lib/server/db/prisma";
import type { Role } from "@/lib/auth/access";
import { hashPassword, NO_PASSWORD } from "@/lib/server/auth/password";

export type UserView = {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  lastSignInAt: string | null;
  disabled: boolean;
};

/** The account the admin token signs in as; it has no password. */
export const ADMIN_TOKEN_EMAIL = "admin-token@causeway.local";

const toView = (u: {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
}): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt.toISOString(),
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  disabled: u.disabledAt !== null,
});

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** People who can sign in with a password (the admin-token account does not count). */
export async function countPasswordUsers(db: Db): Promise<number> {
  return db.user.count({ where: { email: { not: ADMIN_TOKEN_EMAIL } } });
}

export async function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email: normalizeEmail(email) } });
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; password: string; role: Role },
): Promise<UserView> {
  const user = await db.user.create({
    data: {
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashPassword(input.password),
    },
  });
  return toView(user);
}

/**
 * Creates the first admin only while no one can sign in with a password yet.
 * The count and the insert share a transaction under an advisory lock, so two
 * simultaneous setup requests cannot both succeed.
 */
export async function createFirstAdmin(
  db: Db,
  input: { email: string; name: string; password: string },
): Promise<UserView | null> {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7243001)`;
    if ((await tx.user.count({ where: { email: { not: ADMIN_TOKEN_EMAIL } } })) > 0) return null;
    const user = await tx.user.create({
      data: { email: normalizeEmail(input.email), name: input.name.trim(), role: "admin", passwordHash },
    });
    return toView(user);
  });
}

export async function ensureAdminTokenUser(db: Db) {
  return db.user.upsert({
    where: { email: ADMIN_TOKEN_EMAIL },
    update: {},
    create: { email: ADMIN_TOKEN_EMAIL, name: "Admin token", role: "admin", passwordHash: NO_PASSWORD },
  });
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const users = await db.user.findMany({ where: { email: { not: ADMIN_TOKEN_EMAIL } }, orderBy: { createdAt: "asc" } });
  return users.map(toView);
}

export async function updateUser(
  db: Db,
  id: string,
  patch: { role?: Role; disabled?: boolean; name?: string; password?: string },
): Promise<UserView | null> {
  const exists = await db.user.findUnique({ where: { id } });
  if (!exists || exists.email === ADMIN_TOKEN_EMAIL) return null;
  const user = await db.user.update({
    where: { id },
    data: {
      role: patch.role,
      name: patch.name?.trim(),
      disabledAt: patch.disabled === undefined ? undefined : patch.disabled ? new Date() : null,
      passwordHash: patch.password ? await hashPassword(patch.password) : undefined,
    },
  });
  // Disabling someone or changing their password ends their open sessions.
  if (patch.disabled || patch.password) await db.userSession.deleteMany({ where: { userId: id } });
  return toView(user);
}

export async function deleteUser(db: Db, id: string): Promise<boolean> {
  const { count } = await db.user.deleteMany({ where: { id, email: { not: ADMIN_TOKEN_EMAIL } } });
  return count > 0;
}

/** Admins other than `exceptId` who can still sign in: the last one may not be demoted, disabled or deleted. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  return db.user.count({
    where: { role: "admin", disabledAt: null, id: { not: exceptId }, email: { not: ADMIN_TOKEN_EMAIL } },
  });
}
