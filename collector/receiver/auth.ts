import type { IncomingHttpHeaders } from "node:http";
import type pg from "pg";
import { hashSecret, secretsEqual } from "@/lib/server/auth/tokens";

/**
 * Ingest authentication. The key may come as `Authorization: Bearer <key>` (the
 * OTLP exporters' OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer …), or in an
 * `x-api-key` / `api-key` / `api_key` header as several vendors' SDKs send it.
 * Verified keys are cached briefly so the hot path does not query per request;
 * a revoked key stops working within CACHE_MS.
 */
const CACHE_MS = 30_000;
const NEGATIVE_CACHE_MS = 5_000;

export type IngestAuth = (headers: IncomingHttpHeaders) => Promise<string | null>;

export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
  if (bearer) return bearer;
  for (const name of ["x-api-key", "api-key", "api_key"]) {
    const v = headers[name];
    if (typeof v === "string" && v.trim()) return v.trim();
  }
  return undefined;
}

export function createIngestAuth(pool: pg.Pool, opts: { staticKey?: string }): IngestAuth {
  const cache = new Map<string, { projectId: string | null; until: number }>();
  let defaultProjectId: string | null = null;

  return async (headers) => {
    const key = presentedKey(headers);
    if (!key) return null;
    if (opts.staticKey && secretsEqual(key, opts.staticKey)) {
      defaultProjectId ??=
        (await pool.query<{ id: string }>(`SELECT id FROM projects WHERE slug = 'default'`)).rows[0]?.id ?? null;
      return defaultProjectId;
    }
    const hash = hashSecret(key);
    const hit = cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.projectId;
    const { rows } = await pool.query<{ project_id: string }>(
      `UPDATE api_keys SET last_used_at = now()
       WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND 'ingest' = ANY(scopes)
       RETURNING project_id`,
      [hash],
    );
    const projectId = rows[0]?.project_id ?? null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { projectId, until: Date.now() + (projectId ? CACHE_MS : NEGATIVE_CACHE_MS) });
    return projectId;
  };
}
