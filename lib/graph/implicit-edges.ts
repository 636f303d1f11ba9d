import type { Item, ItemEdge, ItemGroup } from "@/lib/graph/graph-items";

/**
 * Edges where causality is implied rather than recorded, so the graph is never a
 * set of disconnected dots:
 * - `sequence`: consecutive decisions of one agent with no tool between them that
 *   the first chose and the second read (the model saw its own previous turn), the
 *   agent's node -> its first decision, and any other node nothing points at <- the
 *   latest decision of its agent before it (else the agent, else its latest node).
 * - `invoke`: a sub-agent <- the tool that ran it, else the latest decision of the
 *   enclosing agent before it started. A handoff target already has its arrow.
 * One sweep in time order; items must be in time order (collectItems guarantees it).
 */
export function implicitEdges(items: Item[], groups: ItemGroup[], causal: ItemEdge[]): ItemEdge[] {
  const n = items.length;
  const hasIncoming = new Uint8Array(n);
  const chooser = new Int32Array(n).fill(-1);
  const resultSources: (number[] | undefined)[] = new Array(n);
  const linked = new Set<number>();
  for (const e of causal) {
    hasIncoming[e.to] = 1;
    linked.add(e.from * n + e.to);
    if (e.kind === "tool_call") chooser[e.to] = e.from;
    else if (e.kind === "tool_result") (resultSources[e.to] ??= []).push(e.from);
  }
  // Slot g + 1 per group, 0 for the run level.
  const lastDecision = new Int32Array(groups.length + 1).fill(-1);
  const lastNode = new Int32Array(groups.length + 1).fill(-1);
  const out: ItemEdge[] = [];
  const add = (from: number, to: number, kind: ItemEdge["kind"]) => {
    if (from < 0 || linked.has(from * n + to)) return;
    linked.add(from * n + to);
    out.push({ from, to, kind });
  };
  /** The latest decision (else entry, else node) of a scope before now, looking outwards through structural groups. */
  const previousIn = (group: number): number => {
    for (let g = group; ; g = groups[g]!.parent) {
      const found =
        lastDecision[g + 1]! >= 0 ? lastDecision[g + 1]! : g >= 0 && groups[g]!.entry >= 0 ? groups[g]!.entry : lastNode[g + 1]!;
      if (found >= 0 || g < 0) return found;
    }
  };

  for (let i = 0; i < n; i++) {
    const item = items[i]!;
    const g = item.group;
    const group = g >= 0 ? groups[g]! : null;
    if (group && group.entry === i) {
      if (!hasIncoming[i]) add(group.invoker >= 0 ? group.invoker : previousIn(group.parent), i, "invoke");
    } else if (item.kind === "decision") {
      const prev = lastDecision[g + 1]!;
      if (prev >= 0) {
        if (!(resultSources[i] ?? []).some((t) => chooser[t] === prev)) add(prev, i, "sequence");
      } else if (group && group.entry >= 0) add(group.entry, i, "sequence");
      else if (!hasIncoming[i]) add(previousIn(g), i, "sequence");
      lastDecision[g + 1] = i;
    } else if (!hasIncoming[i]) add(previousIn(g), i, "sequence");
    lastNode[g + 1] = i;
  }
  return out;
}
