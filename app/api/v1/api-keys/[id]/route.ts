import { ApiError, json } from "@/lib/server/api/errors";
import { withAuth } from "@/lib/server/api/handler";
import { revokeApiKey } from "@/lib/server/repositories/api-keys";
import { recordAudit } from "@/lib/server/repositories/audit";

/** Revokes a key (kept for the audit trail, never accepted again). */
export const DELETE = withAuth<{ id: string }>("admin", async ({ db, principal, project, params }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new ApiError("not_found", "API key not found.");
  const apiKey = await revokeApiKey(db, project.id, params.id);
  if (!apiKey) throw new ApiError("not_found", "API key not found or already revoked.");
  await recordAudit(db, principal, "api-key.revoke", { projectId: project.id, target: apiKey.prefix });
  return json({ apiKey });
});
