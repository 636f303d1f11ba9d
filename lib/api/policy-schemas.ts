import { z } from "zod";
import { runtimePolicy } from "@/lib/policy/schema";

/**
 * Runtime policies over the REST API, shared by the route handlers, the policy page and tests:
 *   GET    /api/v1/policies          -> PolicyList (every policy of the project, and the agents seen so far)
 *   GET    /api/v1/policies/{agent}  -> { policy: PolicyView }
 *   PUT    /api/v1/policies/{agent}  RuntimePolicyInput -> { policy: PolicyView, created }
 *   DELETE /api/v1/policies/{agent}  -> { policy: PolicyView }
 * `{agent}` is a service.name (URL-encoded) or `*`. Policies from CAUSEWAY_POLICY_FILE
 * (`source: "file"`) are read-only here: writes answer 409.
 */
export const POLICY_SOURCES = ["ui", "file"] as const;

export const policyView = z.object({
  agent: z.string(),
  policy: runtimePolicy,
  source: z.enum(POLICY_SOURCES),
  updatedAt: z.string(),
  /** Who saved it: a person, an API key, or `CAUSEWAY_POLICY_FILE (<path>)`. */
  updatedBy: z.string(),
});
export type PolicyView = z.infer<typeof policyView>;

export const policyList = z.object({
  policies: z.array(policyView),
  /** service.names of the project's agents, for choosing whom a new policy is for. */
  agents: z.array(z.string()),
});
export type PolicyList = z.infer<typeof policyList>;

/** The body of a PUT: the policy itself (the agent is in the path). */
export const putPolicyBody = runtimePolicy;

export const putPolicyResult = z.object({ policy: policyView, created: z.boolean() });
export const policyResult = z.object({ policy: policyView });
