import { randomUUID } from "node:crypto";
import { commandRequestId, controlCommandBody } from "@/lib/api/control-schemas";
import { normalizeRunId, reasonProblem } from "@/lib/control/state";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { recordAudit } from "@/lib/server/repositories/audit";
import { controlActorOf, getRunControl } from "@/lib/server/repositories/control";
import { issueRunCommand } from "@/lib/server/repositories/run-commands";
import { poolOf } from "@/lib/server/db/prisma";

const runIdOf = (raw: string) => {
  const runId = normalizeRunId(raw);
  if (!runId) throw new ApiError("not_found", "Run not found: a run id is a 32-character hex trace id.");
  return runId;
};

/** GET /api/v1/runs/{runId}/control: the run's control state (with its client's presence) and command history. */
export const GET = withAuth<{ runId: string }>("read", async ({ db, project, params }) => {
  const control = await getRunControl(db, project.id, runIdOf(params.runId));
  if (!control) throw new ApiError("not_found", "Run not found.");
  return json(control);
});

/** POST /api/v1/runs/{runId}/control { action: kill|pause|resume, reason? }: 202 with the new state and the command's event. */
export const POST = withAuth<{ runId: string }>("operate", async ({ req, db, principal, project, params }) => {
  const runId = runIdOf(params.runId);
  const body = controlCommandBody.parse(await readJson(req));
  const problem = reasonProblem(body.action, body.reason);
  if (problem) throw new ApiError("bad_request", problem);
  const requestId = commandRequestId(req.headers.get("idempotency-key"), body, randomUUID);
  const actor = await controlActorOf(db, principal);
  const reason = (body.reason ?? "").trim();
  const outcome = await issueRunCommand(poolOf(db), project.id, runId, { action: body.action, reason, requestId, actor });
  if (outcome.kind === "not_found") throw new ApiError("not_found", "Run not found.");
  if (outcome.kind === "refused") throw new ApiError("conflict", outcome.message);
  if (outcome.kind === "unchanged") return json({ state: outcome.state, event: null, replayed: false });
  if (!outcome.replayed)
    await recordAudit(db, principal, `control.run.${body.action}`, {
      projectId: project.id,
      target: runId,
      details: { reason, version: outcome.event.version, requestId },
    });
  const { state, event, replayed } = outcome;
  return json({ state, event, replayed }, 202, replayed ? { "idempotent-replayed": "true" } : {});
});
