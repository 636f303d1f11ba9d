import { z } from "zod";
import { SEVERITIES } from "@/lib/drift/types";

/**
 * What an agent may do, declared by people: allowed and denied tools, allowed hosts,
 * forbidden sequences and hard budgets. Tool and host names accept `*` wildcards.
 * Every violation is a `policy` drift point (lib/drift/policy.ts) whose evidence names
 * the rule, so a policy layer can decide what to do about it (record, pause, kill).
 */
const names = z.array(z.string().min(1));
const severity = z.enum(SEVERITIES);

export const forbiddenSequence = z.union([
  names.min(2).transform((steps) => ({ steps, name: undefined, severity: "critical" as const })),
  z.strictObject({ steps: names.min(2), name: z.string().optional(), severity: severity.default("critical") }),
]);

export const agentPolicy = z.strictObject({
  /** Only these tools may be called. */
  allowTools: names.optional(),
  /** These tools may never be called. */
  denyTools: names.optional(),
  /** Only these hosts may be contacted (CLIENT spans). */
  allowHosts: names.optional(),
  /** Tools called in this order (not necessarily adjacent), e.g. ["read_private_*", "send_email"]. */
  forbiddenSequences: z.array(forbiddenSequence).optional(),
  budgets: z
    .strictObject({
      maxSteps: z.number().int().positive(),
      maxToolCalls: z.number().int().positive(),
      maxLlmCalls: z.number().int().positive(),
      maxTokens: z.number().int().positive(),
    })
    .partial()
    .optional(),
  /** Severity of allow/deny-list, host and budget violations (sequences carry their own). */
  severity: severity.default("high"),
});
export type AgentPolicy = z.output<typeof agentPolicy>;

/** A policy file: `{ "agents": { "<service.name>": AgentPolicy, "*": AgentPolicy } }`; `*` applies to agents not named. */
export const policySet = z.strictObject({ agents: z.record(z.string().min(1), agentPolicy) });
export type PolicySet = z.output<typeof policySet>;

export function parsePolicySet(value: unknown): PolicySet {
  const result = policySet.safeParse(value);
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
}

/** An agent's own policy replaces the `*` one entirely: what applies is always one readable object. */
export function policyFor(set: PolicySet | null, serviceName: string | null): AgentPolicy | null {
  if (!set) return null;
  return (serviceName !== null ? set.agents[serviceName] : undefined) ?? set.agents["*"] ?? null;
}
