import type { Db } from "@/lib/server/db/prisma";
import { principalLabel, type Principal } from "@/lib/auth/access";

export async function recordAudit(
  db: Db,
  actor: Principal | null,
  action: string,
  opts: { target?: string; projectId?: string; details?: Record<string, unknown> } = {},
): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor?.kind === "user" ? actor.userId : actor?.kind === "api_key" ? actor.keyId : null,
      actorLabel: actor ? principalLabel(actor) : "anonymous",
      action,
      target: opts.target,
      projectId: opts.projectId,
      details: (opts.details ?? {}) as object,
    },
  });
}
