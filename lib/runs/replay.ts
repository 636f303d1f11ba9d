import type { RunDetail } from "@/lib/api/schemas";
import { IndexHeap } from "@/lib/graph/heap";

/**
 * The decision path a replay walks: the steps that carry the agent's decisions
 * (model calls, tool executions, agent hand-offs, retrievals, guardrails) in causal
 * order — a topological order of the causal edges, ties broken by start time. Clock
 * skew between processes can put a tool's start before the decision that chose it;
 * the edges win over the clocks. Iterative (Kahn), O(n log n): runs have 100k steps.
 */
const PATH_KINDS = new Set(["llm", "tool", "agent", "retrieval", "guardrail"]);

export function replayOrder(detail: Pick<RunDetail, "steps" | "edges">): string[] {
  const steps = detail.steps
    .filter((s) => PATH_KINDS.has(s.kind) || s.status === "error")
    .map((s) => ({ spanId: s.spanId, start: BigInt(s.startNs) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const rank = new Map<string, number>(); // position by start time: the heap's tie-break
  steps.forEach((s, i) => rank.set(s.spanId, i));
  const indegree = new Array<number>(steps.length).fill(0);
  const next = new Map<number, number[]>();
  for (const e of detail.edges) {
    const from = rank.get(e.from);
    const to = rank.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    indegree[to]!++;
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  const ready = new IndexHeap((a, b) => a < b);
  indegree.forEach((d, i) => d === 0 && ready.push(i));
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop()!;
    order.push(steps[i]!.spanId);
    for (const j of next.get(i) ?? []) if (--indegree[j]! === 0) ready.push(j);
  }
  // A cycle (malformed links) must not hide steps: append what is left in time order.
  if (order.length < steps.length) {
    const placed = new Set(order);
    for (const s of steps) if (!placed.has(s.spanId)) order.push(s.spanId);
  }
  return order;
}

/** Position of the next (dir 1) or previous (dir -1) step in `order` that has a drift point; -1 if none. */
export function findDrift(order: string[], drifted: ReadonlySet<string>, from: number, dir: 1 | -1): number {
  for (let i = from + dir; i >= 0 && i < order.length; i += dir) if (drifted.has(order[i]!)) return i;
  return -1;
}
