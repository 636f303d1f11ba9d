/**
 * Which agent a step ran in, and which model call came before a given one. Several agents can
 * share a run (handoffs, sub-agents running side by side); their model calls usually carry no
 * agent name themselves, so a step's agent is its own name or its nearest named ancestor's.
 * Iterative with memoization: linear in run size, no recursion over run depth.
 */
export type LightStep = {
  spanId: string;
  parentSpanId: string | null;
  kind: string;
  agentName: string | null;
  startNs: bigint;
};

export function resolveAgents(steps: readonly LightStep[]): Map<string, string | null> {
  const byId = new Map(steps.map((s) => [s.spanId, s]));
  const resolved = new Map<string, string | null>();
  for (const step of steps) {
    const chain: string[] = [];
    const seen = new Set<string>();
    let at: LightStep | undefined = step;
    let agent: string | null = null;
    while (at) {
      if (resolved.has(at.spanId)) {
        agent = resolved.get(at.spanId) ?? null;
        break;
      }
      if (at.agentName) {
        agent = at.agentName;
        resolved.set(at.spanId, agent);
        break;
      }
      // A parent cycle (bad data) ends the walk rather than looping.
      if (seen.has(at.spanId)) break;
      seen.add(at.spanId);
      chain.push(at.spanId);
      at = at.parentSpanId === null ? undefined : byId.get(at.parentSpanId);
    }
    for (const id of chain) resolved.set(id, agent);
  }
  return resolved;
}

/** Start order of the run view: start time, then span id. */
function before(a: LightStep, b: LightStep): boolean {
  return a.startNs < b.startNs || (a.startNs === b.startNs && a.spanId < b.spanId);
}

/**
 * The model call to compare `spanId` with: the latest LLM step that started before it, preferring one
 * of the same agent when the run has several. Null for the first call (or when `spanId` is unknown).
 */
export function findPreviousLlmStep(
  steps: readonly LightStep[],
  spanId: string,
  agents: Map<string, string | null> = resolveAgents(steps),
): LightStep | null {
  const current = steps.find((s) => s.spanId === spanId);
  if (!current) return null;
  const agent = agents.get(spanId) ?? null;
  let latest: LightStep | null = null;
  let latestSameAgent: LightStep | null = null;
  for (const s of steps) {
    if (s.kind !== "llm" || !before(s, current)) continue;
    if (!latest || before(latest, s)) latest = s;
    if (agent !== null && agents.get(s.spanId) === agent && (!latestSameAgent || before(latestSameAgent, s))) latestSameAgent = s;
  }
  return latestSameAgent ?? latest;
}
