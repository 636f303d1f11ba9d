import type { DriftInput } from "@/lib/drift/input";
import type { AgentPolicy } from "@/lib/drift/policy-schema";
import { capList, hostOf, matchesAny, spanIdsOf, toolCalls } from "@/lib/drift/steps";
import type { DriftFinding, DriftStep } from "@/lib/drift/types";

/**
 * Policy violations: the run did something its agent's declared policy
 * (lib/drift/policy-schema.ts) does not allow. Deterministic and immediate: no
 * baseline needed, so a live run is flagged at the offending step.
 */
export function detectPolicyViolations(input: DriftInput): DriftFinding[] {
  const policy = input.policy;
  if (!policy) return [];
  return [
    ...toolLists(input.steps, policy),
    ...hosts(input.steps, policy),
    ...sequences(input.steps, policy),
    ...budgets(input.steps, policy),
  ];
}

/** One finding per offending tool, at its first call; the evidence lists every call. */
function toolLists(steps: DriftStep[], policy: AgentPolicy): DriftFinding[] {
  const offending = new Map<string, { rule: string; steps: DriftStep[] }>();
  for (const call of toolCalls(steps)) {
    const rule =
      policy.denyTools && matchesAny(call.tool, policy.denyTools)
        ? "deny_tools"
        : policy.allowTools && !matchesAny(call.tool, policy.allowTools)
          ? "allow_tools"
          : null;
    if (!rule) continue;
    const entry = offending.get(call.tool) ?? { rule, steps: [] };
    entry.steps.push(call.step);
    offending.set(call.tool, entry);
  }
  return [...offending].map(([tool, { rule, steps: calls }]) => ({
    spanId: calls[0]!.spanId,
    detector: "policy",
    severity: policy.severity,
    score: 1,
    summary: `${tool} called ${calls.length === 1 ? "" : `${calls.length}× `}at step ${calls[0]!.index}: ${
      rule === "deny_tools" ? "the agent's policy denies it" : "not in the agent's allowed tools"
    }`,
    evidence: { rule, spanIds: spanIdsOf(calls), steps: capList(calls.map((s) => s.index)), tool, count: calls.length },
  }));
}

function hosts(steps: DriftStep[], policy: AgentPolicy): DriftFinding[] {
  if (!policy.allowHosts) return [];
  const offending = new Map<string, DriftStep[]>();
  for (const step of steps) {
    const host = step.egressTarget === null ? null : hostOf(step.egressTarget);
    if (host === null || matchesAny(host, policy.allowHosts)) continue;
    offending.set(host, [...(offending.get(host) ?? []), step]);
  }
  return [...offending].map(([host, calls]) => ({
    spanId: calls[0]!.spanId,
    detector: "policy",
    severity: policy.severity,
    score: 1,
    summary: `${host} contacted at step ${calls[0]!.index}: not in the agent's allowed hosts`,
    evidence: {
      rule: "allow_hosts",
      spanIds: spanIdsOf(calls),
      steps: capList(calls.map((s) => s.index)),
      host,
      url: calls[0]!.egressTarget,
    },
  }));
}

/** The first completion of each forbidden sequence, matched greedily (earliest steps). */
function sequences(steps: DriftStep[], policy: AgentPolicy): DriftFinding[] {
  const calls = toolCalls(steps);
  const out: DriftFinding[] = [];
  for (const seq of policy.forbiddenSequences ?? []) {
    const matched: DriftStep[] = [];
    for (const call of calls) {
      if (matchesAny(call.tool, [seq.steps[matched.length]!])) matched.push(call.step);
      if (matched.length === seq.steps.length) break;
    }
    if (matched.length < seq.steps.length) continue;
    const tools = matched.map((s) => s.toolName ?? s.name);
    out.push({
      spanId: matched.at(-1)!.spanId,
      detector: "policy",
      severity: seq.severity,
      score: 1,
      summary: `forbidden sequence${seq.name ? ` "${seq.name}"` : ""}: ${tools
        .map((t, i) => `${t} (step ${matched[i]!.index})`)
        .join(" → ")}`,
      evidence: {
        rule: "forbidden_sequence",
        spanIds: matched.map((s) => s.spanId),
        steps: matched.map((s) => s.index),
        pattern: seq.steps,
        tools,
      },
    });
  }
  return out;
}

/** Hard budgets: reported at the step that went over. */
function budgets(steps: DriftStep[], policy: AgentPolicy): DriftFinding[] {
  const b = policy.budgets;
  if (!b) return [];
  const out: DriftFinding[] = [];
  const over = (what: string, limit: number | undefined, counted: (s: DriftStep) => number, unit: string) => {
    if (limit === undefined) return;
    let total = 0;
    let crossing: DriftStep | null = null;
    for (const s of steps) {
      total += counted(s);
      if (total > limit && !crossing) crossing = s;
    }
    if (!crossing) return;
    out.push({
      spanId: crossing.spanId,
      detector: "policy",
      severity: policy.severity,
      score: 1,
      summary: `${what} budget exceeded at step ${crossing.index}: ${total.toLocaleString("en-US")} ${unit} (limit ${limit.toLocaleString("en-US")})`,
      evidence: {
        rule: `budget_${what.replace(/ /g, "_")}`,
        spanIds: [crossing.spanId],
        steps: [crossing.index],
        value: total,
        limit,
      },
    });
  };
  const tools = new Set(toolCalls(steps).map((c) => c.step.spanId));
  over("steps", b.maxSteps, () => 1, "steps");
  over("tool calls", b.maxToolCalls, (s) => (tools.has(s.spanId) ? 1 : 0), "tool calls");
  over("model calls", b.maxLlmCalls, (s) => (s.kind === "llm" ? 1 : 0), "model calls");
  over("tokens", b.maxTokens, (s) => (s.kind === "llm" ? (s.totalTokens ?? 0) : 0), "tokens");
  return out;
}
