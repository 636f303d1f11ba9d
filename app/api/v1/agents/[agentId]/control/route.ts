import { randomUUID } from "node:crypto";
import { commandRequestId, controlCommandBody } from "@/lib/api/control-schemas";
import { reasonProblem } from "@/lib/control/state";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { recordAudit } from "@/lib/server/repositories/audit";
import { controlActorOf, getAgentControl, issueAgentCommand } from "@/lib/server/repositories/control";

const agentIdOf = (raw: string) => {
  const id = raw.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id))
    throw new ApiError("not_found", "Agent not found.");
  return id;
};

/** GET /api/v1/agents/{agentId}/control: the agent's control state and its commands. */
export const GET = withAuth<{ agentId: string }>("read", async ({ db, project, params }) => {
  const control = await getAgentControl(db, project.id, agentIdOf(params.agentId));
  if (!control) throw new ApiError("not_found", "Agent not found.");
  return json(control);
});

/**
 * POST /api/v1/agents/{agentId}/control { action, reason? }: applies to every live run of the agent and
 * to runs it starts later (a kill refuses them until the agent is resumed; the runs it killed stay killed).
 */
export const POST = withAuth<{ agentId: string }>("operate", async ({ req, db, principal, project, params }) => {
  const agentId = agentIdOf(params.agentId);
  const body = controlCommandBody.parse(await readJson(req));
  const problem = reasonProblem(body.action, body.reason);
  if (problem) throw new ApiError("bad_request", problem);
  const requestId = commandRequestId(req.headers.get("idempotency-key"), body, randomUUID);
  const actor = await controlActorOf(db, principal);
  const reason = (body.reason ?? "").trim();
  const outcome = await issueAgentCommand(db, project.id, agentId, { action: body.action, reason, requestId, actor });
  if (outcome.kind === "not_found") throw new ApiError("not_found", "Agent not found.");
  if (outcome.kind === "refused") throw new ApiError("conflict", outcome.message);
  if (outcome.kind === "unchanged") return json({ state: outcome.state, event: null, replayed: false });
  if (!outcome.replayed)
    await recordAudit(db, principal, `control.agent.${body.action}`, {
      projectId: project.id,
      target: agentId,
      details: { reason, version: outcome.event.version, requestId, runs: outcome.event.reach?.runs ?? 0 },
    });
  const { state, event, replayed } = outcome;
  return json({ state, event, replayed }, 202, replayed ? { "idempotent-replayed": "true" } : {});
});
