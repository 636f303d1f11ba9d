import type { IncomingHttpHeaders } from "node:http";
import type pg from "pg";
import { hashSecret, secretsEqual } from "@/lib/server/auth/tokens";
import { presentedKey } from "@/collector/receiver/auth";

/**
 * Who is on the agent channel: a project API key with the ingest scope (the key the
 * agent already exports spans with) or the operate scope, as a bearer token. The key's
 * id matters, not just its project: the first key to register a run owns it, so one
 * agent's credential cannot listen to another agent's runs. CAUSEWAY_INGEST_KEY has no
 * row; it is the key "static" of the default project.
 */
export type ControlCaller = { projectId: string; keyId: string };
export type ControlAuth = (headers: IncomingHttpHeaders) => Promise<ControlCaller | null>;

const CACHE_MS = 30_000;
const NEGATIVE_CACHE_MS = 5_000;
export const STATIC_KEY_ID = "static";

export function createControlAuth(pool: pg.Pool, opts: { staticKey?: string }): ControlAuth {
  const cache = new Map<string, { caller: ControlCaller | null; until: number }>();
  let defaultProjectId: string | null = null;

  return async (headers) => {
    const key = presentedKey(headers);
    if (!key) return null;
    if (opts.staticKey && secretsEqual(key, opts.staticKey)) {
      defaultProjectId ??=
        (await pool.query<{ id: string }>(`SELECT id FROM projects WHERE slug = 'default'`)).rows[0]?.id ?? null;
      return defaultProjectId ? { projectId: defaultProjectId, keyId: STATIC_KEY_ID } : null;
    }
    const hash = hashSecret(key);
    const hit = cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.caller;
    const { rows } = await pool.query<{ id: string; project_id: string }>(
      `SELECT id, project_id FROM api_keys
       WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
         AND scopes && ARRAY['ingest', 'operate']::"ApiKeyScope"[]`,
      [hash],
    );
    const caller = rows[0] ? { projectId: rows[0].project_id, keyId: rows[0].id } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(hash, { caller, until: Date.now() + (caller ? CACHE_MS : NEGATIVE_CACHE_MS) });
    return caller;
  };
}
