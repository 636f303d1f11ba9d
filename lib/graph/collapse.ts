import type { ItemGraph } from "@/lib/graph/graph-items";
import { findLoops, type Loop } from "@/lib/graph/loops";
import { budgetPlan, segmentId, segmentSize, type Unit } from "@/lib/graph/budget";

/**
 * What is drawn as a summary node instead of its steps. `expanded` holds the ids
 * the user opened (loop:…, group:…, segment:…); everything else follows defaults:
 *
 * 1. Loops (see loops.ts) are collapsed.
 * 2. Above the node budget, agents are opened level by level from the top, since
 *    shallow structure says more than deep detail (budget.ts).
 * 3. An agent whose own nodes alone would not fit is cut into segments of a fixed
 *    number of decisions, and its collapsed sub-agents go inside them.
 *
 * Linear or n log n in steps and groups; no recursion.
 */
export { DEFAULT_NODE_BUDGET } from "@/lib/graph/budget";

export type Summary =
  | { kind: "loop"; id: string; group: number; loop: Loop }
  | { kind: "group"; id: string; group: number }
  | { kind: "segment"; id: string; group: number; index: number; size: number; decisions: number };

export type CollapsePlan = {
  /** Per item: the summary it is drawn as, or -1. */
  summaryOf: Int32Array;
  summaries: Summary[];
  /** Groups without a box: collapsed into a summary, or inside one. */
  hiddenGroup: Uint8Array;
  /** Loops and segments the user opened, with their items, so the UI can offer to close them. */
  openRegions: { id: string; kind: "loop" | "segment"; label: string; items: number[] }[];
};

export function planCollapse(graph: ItemGraph, expanded: ReadonlySet<string>, budget?: number): CollapsePlan {
  const { items, groups } = graph;
  const slots = groups.length + 1;
  const loops = findLoops(graph);
  const loopOf = new Int32Array(items.length).fill(-1);
  for (let l = 0; l < loops.length; l++) for (const m of loops[l]!.members) loopOf[m] = l;
  const loopClosed = loops.map((l) => !expanded.has(l.id));

  // Units: what would be a node once loops are applied. Ordinals count decisions per slot (loop toggles keep them).
  const units: Unit[] = [];
  const unitOfLoop = new Int32Array(loops.length).fill(-1);
  const unitOf = new Int32Array(items.length);
  const decisionCount = new Int32Array(slots);
  const parentOrdinal = new Int32Array(groups.length).fill(-1);
  const ordinalNow = (slot: number) => Math.max(decisionCount[slot]! - 1, 0);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const slot = item.group + 1;
    for (let g = item.group; g >= 0 && parentOrdinal[g]! < 0; g = groups[g]!.parent)
      parentOrdinal[g] = ordinalNow(groups[g]!.parent + 1);
    const ordinal = item.kind === "decision" ? decisionCount[slot]!++ : ordinalNow(slot);
    const l = loopOf[i]!;
    if (l >= 0 && loopClosed[l]) {
      if (unitOfLoop[l]! < 0) {
        unitOfLoop[l] = units.length;
        units.push({ slot: loops[l]!.group + 1, ordinal, entry: false });
      }
      unitOf[i] = unitOfLoop[l]!;
      continue;
    }
    unitOf[i] = units.length;
    units.push({ slot, ordinal, entry: item.group >= 0 && groups[item.group]!.entry === i });
  }
  const slotSpan = (slot: number) => (slot === 0 ? "run" : groups[slot - 1]!.step.spanId);
  const plan = budgetPlan({ groups, units, decisionCount, expanded, slotSpan, budget });
  const hiddenGroup = plan?.hidden ?? new Uint8Array(groups.length);
  const collapsedRoot = new Int32Array(groups.length).fill(-1);
  for (let g = 0; g < groups.length; g++) {
    const p = groups[g]!.parent;
    collapsedRoot[g] = p >= 0 && collapsedRoot[p]! >= 0 ? collapsedRoot[p]! : plan?.collapsed[g] ? g : -1;
  }

  const summaries: Summary[] = [];
  const summaryByKey = new Map<string, number>();
  const summary = (s: Summary) => {
    let k = summaryByKey.get(s.id);
    if (k === undefined) summaryByKey.set(s.id, (k = summaries.push(s) - 1));
    return k;
  };
  /** The segment of `slot` holding `ordinal`, or -1 when that segment is open (then noted as a region). */
  const openSegments = new Map<string, number>();
  const openRegions: CollapsePlan["openRegions"] = [];
  const segmentAt = (slot: number, ordinal: number, item: number) => {
    const size = segmentSize(decisionCount[slot]!);
    const index = Math.floor(ordinal / size);
    const id = segmentId(slotSpan(slot), size, index);
    if (!expanded.has(id)) return summary({ kind: "segment", id, group: slot - 1, index, size, decisions: decisionCount[slot]! });
    let r = openSegments.get(id);
    if (r === undefined) {
      const label = segmentLabel(index, size, decisionCount[slot]!);
      openSegments.set(id, (r = openRegions.push({ id, kind: "segment", label, items: [] }) - 1));
    }
    openRegions[r]!.items.push(item);
    return -1;
  };

  const summaryOf = new Int32Array(items.length).fill(-1);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const root = item.group >= 0 ? collapsedRoot[item.group]! : -1;
    if (root >= 0) {
      const parentSlot = groups[root]!.parent + 1;
      const inSegment = plan?.segmented[parentSlot] ? segmentAt(parentSlot, parentOrdinal[root]!, i) : -1;
      summaryOf[i] =
        inSegment >= 0 ? inSegment : summary({ kind: "group", id: `group:${groups[root]!.step.spanId}`, group: root });
      continue;
    }
    const unit = units[unitOf[i]!]!;
    if (plan?.segmented[unit.slot] && !unit.entry) {
      const s = segmentAt(unit.slot, unit.ordinal, i);
      if (s >= 0) {
        summaryOf[i] = s;
        continue;
      }
    }
    const l = loopOf[i]!;
    if (l >= 0 && loopClosed[l])
      summaryOf[i] = summary({ kind: "loop", id: loops[l]!.id, group: loops[l]!.group, loop: loops[l]! });
  }
  for (let l = 0; l < loops.length; l++) {
    const loop = loops[l]!;
    if (loopClosed[l] || loop.members.some((m) => summaryOf[m]! >= 0)) continue;
    openRegions.push({ id: loop.id, kind: "loop", label: `${loop.pattern} ×${loop.decisions.length}`, items: loop.members });
  }
  return { summaryOf, summaries, hiddenGroup, openRegions };
}

export function segmentLabel(index: number, size: number, decisions: number): string {
  const first = index * size + 1;
  const last = Math.min((index + 1) * size, Math.max(decisions, first));
  return `decisions ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")}`;
}
