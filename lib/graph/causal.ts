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
  const unmatched = decisions.map((d) => ({ d, calls: d.decidedCalls.map((c) => ({ ...c, used: false })) }));
  const toolCallIds = new Set(tools.map((t) => t.toolCallId).filter((id) => id !== null));
  for (const c of unmatched) for (const call of c.calls) if (call.id && toolCallIds.has(call.id)) call.used = true;
  for (const tool of tools) {
    const owner = tool.toolCallId ? callOwner.get(tool.toolCallId) : undefined;
    if (owner) {
      edges.push({ from: owner, to: tool.spanId, kind: "tool_call", via: tool.toolCallId });
      continue;
    }
    // The decision's own call id (when it had one) still explains the link, and finds the result's consumer.
    const byName = findByNameAndOrder(unmatched, decisions, tool);
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
  const agents = ordered.filter((s) => s.kind === "agent");
  for (const h of ordered) {
    if (!h.handoffTo) continue;
    const target = agents.find((a) => a.spanId !== h.spanId && a.agentName === h.handoffTo && a.startNs >= h.startNs);
    if (target) edges.push({ from: h.spanId, to: target.spanId, kind: "handoff", via: h.handoffTo });
  }
  return edges;
}

function findByNameAndOrder(
  candidates: { d: GraphStep; calls: { id: string | null; name: string; used: boolean }[] }[],
  decisions: GraphStep[],
  tool: GraphStep,
): { decision: string; callId: string | null } | undefined {
  if (!tool.toolName) return undefined;
  // Start from the last decision that started before the tool, then walk back to the nearest with a free call.
  const from = firstStartingAtOrAfter(decisions, tool.startNs + 1n) - 1;
  for (let i = from; i >= 0; i--) {
    const c = candidates[i]!;
    if ((c.d.endNs ?? c.d.startNs) > tool.startNs) continue;
    const call = c.calls.find((x) => !x.used && x.name === tool.toolName);
    if (call) {
      call.used = true;
      return { decision: c.d.spanId, callId: call.id };
    }
  }
  return undefined;
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
