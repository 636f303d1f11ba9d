import type { Db } from "@/lib/server/db/prisma";
import type { Principal, Scope } from "@/lib/auth/access";
import { API_KEY_PREFIX, hashSecret, keyPrefix, newSecret } from "@/lib/server/auth/tokens";

export type ApiKeyView = {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

type Row = {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy?: { email: string } | null;
};
const toView = (k: Row): ApiKeyView => ({
  id: k.id,
  projectId: k.projectId,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: k.createdAt.toISOString(),
  createdBy: k.createdBy?.email ?? null,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** Creates a key; the plaintext is returned here once and never again. */
export async function createApiKey(
  db: Db,
  input: { projectId: string; name: string; scopes: Scope[]; createdById?: string },
): Promise<{ key: string; apiKey: ApiKeyView }> {
  const key = newSecret(API_KEY_PREFIX);
  const row = await db.apiKey.create({
    data: {
      projectId: input.projectId,
      name: input.name.trim(),
      scopes: [...new Set(input.scopes)],
      prefix: keyPrefix(key),
      keyHash: hashSecret(key),
      createdById: input.createdById,
    },
    include: { createdBy: { select: { email: true } } },
  });
  return { key, apiKey: toView(row) };
}

export async function listApiKeys(db: Db, projectId: string): Promise<ApiKeyView[]> {
  const rows = await db.apiKey.findMany({
    where: { projectId },
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { email: true } } },
  });
  return rows.map(toView);
}

export async function revokeApiKey(db: Db, projectId: string, id: string): Promise<ApiKeyView | null> {
  const { count } = await db.apiKey.updateMany({ where: { id, projectId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) return null;
  const row = await db.apiKey.findUnique({ where: { id }, include: { createdBy: { select: { email: true } } } });
  return row && toView(row);
}

/** The principal for a presented key, or null if unknown, revoked or expired. */
export async function findApiKeyPrincipal(db: Db, key: string): Promise<Principal | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const row = await db.apiKey.findUnique({ where: { keyHash: hashSecret(key) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() < Date.now())) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { kind: "api_key", keyId: row.id, projectId: row.projectId, scopes: row.scopes, label: row.prefix };
}
