import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/server/db/prisma";
import { createApiKey, findApiKeyPrincipal } from "@/lib/server/repositories/api-keys";
import { DEFAULT_PROJECT_SLUG, findProjectBySlug } from "@/lib/server/repositories/projects";
import { countPasswordUsers } from "@/lib/server/repositories/users";

/**
 * What a newcomer needs after `npm start`: an ingest key to paste into their agent's
 * environment, and (on first run) a setup code for the first admin.
 *
 * The local ingest key is created once, when the project has none, and kept in the
 * data directory (mode 0600) so the same lines are printed at every start.
 */
export async function localIngestKey(db: Db, dataDir: string, configured?: string): Promise<string | null> {
  if (configured) return configured;
  const file = path.join(dataDir, "ingest-key");
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    if (await findApiKeyPrincipal(db, key)) return key;
  }
  const project = await findProjectBySlug(db, DEFAULT_PROJECT_SLUG);
  if (!project) return null;
  if ((await db.apiKey.count({ where: { projectId: project.id } })) > 0) return null; // keys are managed in the UI now
  const { key } = await createApiKey(db, {
    projectId: project.id,
    name: "local ingest (created by npm start)",
    scopes: ["ingest"],
  });
  writeFileSync(file, key + "\n", { mode: 0o600 });
  return key;
}

/** A setup code while nobody can sign in yet (unless the admin token is the way in). */
export async function setupCode(db: Db, configured: string | undefined): Promise<string | undefined> {
  if (configured) return configured;
  if ((await countPasswordUsers(db)) > 0) return undefined;
  return randomBytes(9).toString("base64url");
}
