import { MAX_REASON_LENGTH, type ActorType } from "@/lib/control/state";
import { severityRank, type DriftFinding } from "@/lib/drift/types";
import { FALLBACK_AGENT, type PolicyAction, type PolicyRule, type RuntimePolicy } from "@/lib/policy/schema";

/**
 * Which action a policy takes for the drift points raised on a run, and the control
 * command that carries it out. Pure: the collector (collector/policy/enforce.ts) looks
 * the policy up, asks `decide`, and issues `enforcementCommand` through live control.
 */
export type PolicyEntry = { name: string; policy: RuntimePolicy };

/** An agent's own entry, else the `*` entry (the same rule the policy detector follows). */
export function resolvePolicy(
  agents: Readonly<Record<string, RuntimePolicy>> | null,
  serviceName: string | null,
): PolicyEntry | null {
  if (!agents) return null;
  const own = serviceName !== null && serviceName !== FALLBACK_AGENT ? agents[serviceName] : undefined;
  if (own) return { name: serviceName!, policy: own };
  const fallback = agents[FALLBACK_AGENT];
  return fallback ? { name: FALLBACK_AGENT, policy: fallback } : null;
}

const STRENGTH: Record<PolicyAction, number> = { record: 0, pause: 1, kill: 2 };

export function ruleMatches(rule: PolicyRule, finding: Pick<DriftFinding, "detector" | "severity">): boolean {
  return (
    (rule.detector === "*" || rule.detector === finding.detector) &&
    severityRank(finding.severity) >= severityRank(rule.minSeverity)
  );
}

/**
 * The rule that applies to one finding: the strongest action among the matching rules;
 * between equally strong ones the rule naming the detector beats `*`, then the higher
 * threshold (it says more precisely why), then the first listed. Null: no rule matches,
 * which means record only.
 */
export function ruleFor(
  policy: Pick<RuntimePolicy, "actions">,
  finding: Pick<DriftFinding, "detector" | "severity">,
): PolicyRule | null {
  let best: PolicyRule | null = null;
  for (const rule of policy.actions) {
    if (!ruleMatches(rule, finding)) continue;
    if (best === null || compareRules(rule, best) > 0) best = rule;
  }
  return best;
}

function compareRules(a: PolicyRule, b: PolicyRule): number {
  return (
    STRENGTH[a.action] - STRENGTH[b.action] ||
    Number(a.detector !== "*") - Number(b.detector !== "*") ||
    severityRank(a.minSeverity) - severityRank(b.minSeverity)
  );
}

export type Decision = { action: PolicyAction; rule: PolicyRule; finding: DriftFinding };

/**
 * One decision for the findings raised together: the strongest action (a kill makes a
 * pause moot), and for it the most severe finding, the earliest on ties (findings come
 * in step order). Null when no rule matches any finding.
 */
export function decide(policy: Pick<RuntimePolicy, "actions">, findings: readonly DriftFinding[]): Decision | null {
  let best: Decision | null = null;
  for (const finding of findings) {
    const rule = ruleFor(policy, finding);
    if (!rule) continue;
    const stronger =
      best === null ||
      STRENGTH[rule.action] > STRENGTH[best.action] ||
      (rule.action === best.action && severityRank(finding.severity) > severityRank(best.finding.severity));
    if (stronger) best = { action: rule.action, rule, finding };
  }
  return best;
}

export type EnforcementCommand = {
  action: "pause" | "kill";
  reason: string;
  requestId: string;
  actor: { type: ActorType; id: string; label: string };
};

/** `policy "support-bot" (loop ≥ medium)`: the policy, and the detector and threshold that made it act. */
export function policyActorLabel(policyName: string, decision: Pick<Decision, "rule" | "finding">): string {
  return `policy "${policyName}" (${decision.finding.detector} ≥ ${decision.rule.minSeverity})`;
}

/**
 * The control command for a decision; null for `record` (the drift point is stored,
 * nothing is sent). The idempotency key is (run, drift point, action): evaluating the
 * same drift point again replays the first command instead of issuing another, so an
 * operator who resumed a paused run is not overruled by the same finding growing; a
 * finding that escalates to a stronger action (pause → kill) is a new command.
 */
export function enforcementCommand(runId: string, policyName: string, decision: Decision): EnforcementCommand | null {
  if (decision.action === "record") return null;
  const { finding } = decision;
  const summary = finding.summary.trim() || `${finding.detector} drift (${finding.severity})`;
  return {
    action: decision.action,
    reason: summary.length > MAX_REASON_LENGTH ? `${summary.slice(0, MAX_REASON_LENGTH - 1)}…` : summary,
    requestId: `policy:${runId}:${finding.spanId}:${finding.detector}:${decision.action}`,
    actor: { type: "policy", id: policyName, label: policyActorLabel(policyName, decision) },
  };
}
