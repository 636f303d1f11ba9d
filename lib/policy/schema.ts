import { z } from "zod";
import { agentPolicy } from "@/lib/drift/policy-schema";
import { DETECTORS, SEVERITIES } from "@/lib/drift/types";

/**
 * A runtime policy: what an agent may do (the rules the policy drift detector checks,
 * lib/drift/policy-schema.ts) plus what happens when any detector fires on one of its
 * live runs — record the drift point only, pause the run, or kill it. The same shape
 * is used by CAUSEWAY_POLICY_FILE (`{ "agents": { "<service.name>": … } }`), the REST
 * API and the policy page, so a policy can move between them unchanged.
 */
export const POLICY_ACTIONS = ["record", "pause", "kill"] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** `*` is the fallback entry: it applies to agents that have no entry of their own. */
export const FALLBACK_AGENT = "*";

/** An agent is a `service.name`; `*` names the fallback policy. */
export const agentName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(200, "must be at most 200 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "must not contain control characters");

/** "When `detector` (or any, `*`) raises a drift point at `minSeverity` or above, do `action`." */
export const policyRule = z.strictObject({
  detector: z.enum([...DETECTORS, "*"]).default("*"),
  minSeverity: z.enum(SEVERITIES).default("high"),
  action: z.enum(POLICY_ACTIONS),
});
export type PolicyRule = z.output<typeof policyRule>;

export const runtimePolicy = agentPolicy.extend({
  /** Evaluated per drift point; the strongest matching action wins (kill > pause > record). None: record. */
  actions: z.array(policyRule).max(50).default([]),
});
export type RuntimePolicy = z.output<typeof runtimePolicy>;
export type RuntimePolicyInput = z.input<typeof runtimePolicy>;

export const policyFile = z.strictObject({ agents: z.record(agentName, runtimePolicy) });
export type PolicyFile = z.output<typeof policyFile>;

/** Zod issues as one message whose parts name the field: "agents.support-bot.actions.0.action: Invalid option…". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

export function parsePolicyFile(value: unknown): PolicyFile {
  const result = policyFile.safeParse(value);
  if (result.success) return result.data;
  throw new Error(describeIssues(result.error));
}
