import { putPolicyBody } from "@/lib/api/policy-schemas";
import { agentName } from "@/lib/policy/schema";
import { ApiError, json } from "@/lib/server/api/errors";
import { readJson, withAuth } from "@/lib/server/api/handler";
import { recordAudit } from "@/lib/server/repositories/audit";
import { controlActorOf } from "@/lib/server/repositories/control";
import { deletePolicy, getPolicy, savePolicy } from "@/lib/server/repositories/policies";

type Params = { agent: string };

const agentOf = (raw: string) => {
  const parsed = agentName.safeParse(raw);
  if (!parsed.success) throw new ApiError("bad_request", `agent: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
};
const fromFile = (agent: string, by: string) =>
  new ApiError("conflict", `The policy of "${agent}" comes from ${by}: edit the file and restart the collector.`);

/** GET /api/v1/policies/{agent}: one agent's policy (`*`: the fallback for agents without their own). */
export const GET = withAuth<Params>("read", async ({ db, project, params }) => {
  const policy = await getPolicy(db, project.id, agentOf(params.agent));
  if (!policy) throw new ApiError("not_found", `No policy for "${params.agent}".`);
  return json({ policy });
});

/** PUT /api/v1/policies/{agent} RuntimePolicy: creates (201) or replaces (200) the agent's policy. */
export const PUT = withAuth<Params>("operate", async ({ req, db, principal, project, params }) => {
  const agent = agentOf(params.agent);
  const body = putPolicyBody.parse(await readJson(req));
  const by = (await controlActorOf(db, principal)).label;
  const outcome = await savePolicy(db, project.id, agent, body, by);
  if (outcome.kind === "file") throw fromFile(agent, outcome.policy.updatedBy);
  await recordAudit(db, principal, "policy.save", {
    projectId: project.id,
    target: agent,
    details: { created: outcome.created },
  });
  return json({ policy: outcome.policy, created: outcome.created }, outcome.created ? 201 : 200);
});

/** DELETE /api/v1/policies/{agent}: the agent falls back to the `*` policy, if any. */
export const DELETE = withAuth<Params>("operate", async ({ db, principal, project, params }) => {
  const agent = agentOf(params.agent);
  const outcome = await deletePolicy(db, project.id, agent);
  if (outcome.kind === "not_found") throw new ApiError("not_found", `No policy for "${agent}".`);
  if (outcome.kind === "file") throw fromFile(agent, outcome.policy.updatedBy);
  await recordAudit(db, principal, "policy.delete", { projectId: project.id, target: agent });
  return json({ policy: outcome.policy });
});
