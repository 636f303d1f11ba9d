import type { DriftConfig } from "@/lib/drift/config";
import type { DriftInput } from "@/lib/drift/input";
import { capList, hostOf, spanIdsOf } from "@/lib/drift/steps";
import type { DriftFinding, DriftStep } from "@/lib/drift/types";

/**
 * New egress: a CLIENT span (HTTP call, model API call…) to a host this agent never
 * contacted in an earlier run. One finding per new host, at its first call. Silent
 * until the agent has a history (`knownHosts` is null before that), so the first
 * runs of a new agent only teach it its hosts.
 */
export function detectNewEgress(input: DriftInput, config: DriftConfig["egress"]): DriftFinding[] {
  if (!input.knownHosts) return [];
  const known = input.knownHosts;
  const fresh = new Map<string, DriftStep[]>();
  for (const [host, steps] of egressHosts(input.steps)) if (!known.has(host)) fresh.set(host, steps);
  return [...fresh].map(([host, steps]) => ({
    spanId: steps[0]!.spanId,
    detector: "new_egress",
    severity: config.severity,
    score: 1,
    summary: `first call to ${host} by this agent at step ${steps[0]!.index}${steps.length > 1 ? ` (${steps.length} calls in this run)` : ""}`,
    evidence: {
      rule: "new_host",
      spanIds: spanIdsOf(steps),
      steps: capList(steps.map((s) => s.index)),
      host,
      url: steps[0]!.egressTarget,
    },
  }));
}

/** The hosts a run contacted, each with its calls in order. */
export function egressHosts(steps: readonly DriftStep[]): Map<string, DriftStep[]> {
  const hosts = new Map<string, DriftStep[]>();
  for (const step of steps) {
    const host = step.egressTarget === null ? null : hostOf(step.egressTarget);
    if (host !== null) hosts.set(host, [...(hosts.get(host) ?? []), step]);
  }
  return hosts;
}
