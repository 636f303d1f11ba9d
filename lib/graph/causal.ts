/**
 * The causal decision graph of a run: which model output chose which tool call,
 * whose result fed which next decision, and which agent handed off to which.
 * Pure and linear-ish in run size (no recursion over run length), so it works on
 * runs of tens of thousands of steps.
 *
 * Links use tool-call ids when the producer sent them; several SDKs omit them on
 * tool spans (OpenAI Agents via OpenInference, Traceloop withTool, LangChain), so
 * the fallback matches by tool name and order: the earliest unmatched call of that
 * name among decisions that ended before the tool started, nearest first.
 */
export type GraphStep = {
  spanId: string;
  parentSpanId: string | null;
  kind: "llm" | "tool" | "agent" | "retrieval" | "guardrail" | "chain" | "other";
  name: string;
  startNs: bigint;
  endNs: bigint | null;
  toolName: string | null;
  toolCallId: string | null;
  agentName: string | null;
  handoffTo: string | null;
  /** LLM steps: the tool calls the model decided on (from its output messages). */
  decidedCalls: { id: string | null; name: string }[];
  /** LLM steps: ids of tool results present in the context it saw. */
  consumedResultIds: string[];
};

export type CausalEdge = {
  from: string;
  to: string;
  kind: "tool_call" | "tool_result" | "handoff";
  /** The tool-call id or agent name that explains the link; null when matched by name and order. */
  via: string | null;
};

export function buildCausalEdges(steps: GraphStep[]): CausalEdge[] {
  const ordered = [...steps].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const decisions = ordered.filter((s) => s.kind === "llm");
  const tools = ordered.filter((s) => s.kind === "tool");
  const edges: CausalEdge[] = [];

  // decision -> tool
  const callOwner = new Map<string, string>(); // tool-call id -> decision span id
  for (const d of decisions) for (const c of d.decidedCalls) if (c.id) callOwner.set(c.id, d.spanId);
  const toolCallIds = new Set(tools.map((t) => t.toolCallId).filter((id) => id !== null));
  const freeCalls = new FreeCalls(decisions, (call) => !(call.id && toolCallIds.has(call.id)));
  for (const tool of tools) {
    const owner = tool.toolCallId ? callOwner.get(tool.toolCallId) : undefined;
    if (owner) {
      edges.push({ from: owner, to: tool.spanId, kind: "tool_call", via: tool.toolCallId });
      continue;
    }
    // The decision's own call id (when it had one) still explains the link, and finds the result's consumer.
    const byName = freeCalls.take(tool);
    if (byName) edges.push({ from: byName.decision, to: tool.spanId, kind: "tool_call", via: byName.callId });
  }

  // tool -> next decision that consumed its result
  const resultConsumer = new Map<string, string>(); // tool-call id -> first decision that saw its result
  for (const d of decisions) for (const id of d.consumedResultIds) if (!resultConsumer.has(id)) resultConsumer.set(id, d.spanId);
  const chosenBy = new Map(edges.map((e) => [e.to, e]));
  const decisionsByParent = new Map<string | null, GraphStep[]>();
  for (const d of decisions) {
    const list = decisionsByParent.get(d.parentSpanId);
    if (list) list.push(d);
    else decisionsByParent.set(d.parentSpanId, [d]);
  }
  for (const tool of tools) {
    const id = tool.toolCallId ?? chosenBy.get(tool.spanId)?.via ?? null;
    const consumer = id ? resultConsumer.get(id) : undefined;
    if (consumer) {
      edges.push({ from: tool.spanId, to: consumer, kind: "tool_result", via: id });
      continue;
    }
    // Without ids: the first decision that started after the tool ended, under the same parent.
    const end = tool.endNs ?? tool.startNs;
    const siblings = decisionsByParent.get(tool.parentSpanId) ?? [];
    const next = siblings[firstStartingAtOrAfter(siblings, end)];
    if (next && chosenBy.has(tool.spanId)) edges.push({ from: tool.spanId, to: next.spanId, kind: "tool_result", via: null });
  }

  // handoffs: the handoff step -> the first agent step of the target agent that starts after it
  const agentsByName = new Map<string, GraphStep[]>(); // in start order
  for (const a of ordered) {
    if (a.kind !== "agent" || a.agentName === null) continue;
    const list = agentsByName.get(a.agentName);
    if (list) list.push(a);
    else agentsByName.set(a.agentName, [a]);
  }
  for (const h of ordered) {
    if (!h.handoffTo) continue;
    const named = agentsByName.get(h.handoffTo) ?? [];
    let i = firstStartingAtOrAfter(named, h.startNs);
    if (named[i]?.spanId === h.spanId) i++;
    const target = named[i];
    if (target) edges.push({ from: h.spanId, to: target.spanId, kind: "handoff", via: h.handoffTo });
  }
  return edges;
}

/**
 * The fallback match by tool name and order: for a tool, the nearest decision that started before it and
 * ended by its start with an unused call of that name. Calls are listed per name in decision order, and a
 * "nearest free entry at or before i" pointer (union-find with path halving) skips used ones, so runs where
 * many tools find no call stay linear instead of walking back over the whole run for each tool.
 */
class FreeCalls {
  /** Per tool name, the free calls in decision order. */
  private readonly lists = new Map<string, { decision: number; callId: string | null }[]>();
  /** Per tool name: for entry k, an entry at or before k that may be free (k itself when free); -1 when none. */
  private readonly next: Map<string, Int32Array>;

  constructor(
    private readonly decisions: GraphStep[],
    free: (call: { id: string | null; name: string }) => boolean,
  ) {
    decisions.forEach((d, i) => {
      for (const call of d.decidedCalls) {
        if (!free(call)) continue;
        const list = this.lists.get(call.name);
        const entry = { decision: i, callId: call.id };
        if (list) list.push(entry);
        else this.lists.set(call.name, [entry]);
      }
    });
    this.next = new Map([...this.lists].map(([name, list]) => [name, Int32Array.from(list, (_, k) => k)]));
  }

  take(tool: GraphStep): { decision: string; callId: string | null } | undefined {
    if (!tool.toolName) return undefined;
    const list = this.lists.get(tool.toolName);
    const next = this.next.get(tool.toolName);
    if (!list || !next) return undefined;
    // The last decision that started before the tool, then back to the nearest free call that had ended.
    const last = firstStartingAtOrAfter(this.decisions, tool.startNs + 1n) - 1;
    let k = lastEntryAtOrBefore(list, last);
    for (k = this.find(next, k); k >= 0; k = this.find(next, k - 1)) {
      const d = this.decisions[list[k]!.decision]!;
      if ((d.endNs ?? d.startNs) > tool.startNs) continue; // still running when the tool started
      // Within one decision, its calls are used in the order the model made them.
      for (let j = this.find(next, k - 1); j >= 0 && list[j]!.decision === list[k]!.decision; j = this.find(next, j - 1)) k = j;
      next[k] = k - 1; // used
      return { decision: d.spanId, callId: list[k]!.callId };
    }
    return undefined;
  }

  private find(next: Int32Array, k: number): number {
    while (k >= 0 && next[k] !== k) {
      const up = next[k]!;
      if (up >= 0) next[k] = next[up]!; // path halving
      k = up;
    }
    return k;
  }
}

/** Index of the last entry whose decision index is at most `i`; -1 if none. */
function lastEntryAtOrBefore(list: { decision: number }[], i: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.decision <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first step (sorted by start) starting at or after `t`; length if none. */
function firstStartingAtOrAfter(sorted: GraphStep[], t: bigint): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.startNs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
