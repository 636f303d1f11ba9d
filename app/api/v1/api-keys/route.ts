import { createApiKeyBody } from "@/lib/api/schemas";
import { json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { createApiKey, listApiKeys } from "@/lib/server/repositories/api-keys";
import { recordAudit } from "@/lib/server/repositories/audit";

export const GET = withAuth("admin", async ({ db, project }) => json({ apiKeys: await listApiKeys(db, project.id) }));

/** The response carries the key in plaintext; it is not retrievable afterwards. */
export const POST = withAuth("admin", async ({ req, db, principal, project }) => {
  const body = createApiKeyBody.parse(await readJson(req));
  const { key, apiKey } = await createApiKey(db, {
    projectId: project.id,
    name: body.name,
    scopes: body.scopes,
    createdById: principal.kind === "user" ? principal.userId : undefined,
  });
  await recordAudit(db, principal, "api-key.create", {
    projectId: project.id,
    target: apiKey.prefix,
    details: { scopes: apiKey.scopes },
  });
  return json({ key, apiKey }, 201);
});
