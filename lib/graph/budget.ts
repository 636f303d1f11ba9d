import type { ItemGroup } from "@/lib/graph/graph-items";

/**
 * Which agents open when the graph is over its node budget. Agents open level by
 * level from the top (an overview of the whole run reads better than the full
 * detail of its first part), smallest first within a level, while they fit; the
 * rest become one summary node each. Always open: the only top-level agent, and
 * agents the user opened (with their ancestors). An agent whose own nodes alone do
 * not fit is cut into segments; its sub-agents then stay closed inside them unless
 * the user opened them — if its own steps cannot be shown, its children's detail
 * should not take the budget.
 *
 * Segment size depends only on the agent's decision count (never on what else is
 * open), so a segment id the user opened stays valid when other things change.
 */
export const DEFAULT_NODE_BUDGET = 1500;
const SEGMENT_SIZES = [5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];
/** At most this many segments per agent, so a segmented agent leaves budget for the rest of the run. */
const MAX_SEGMENTS = 300;

export type Unit = { slot: number; ordinal: number; entry: boolean };

export function segmentSize(decisions: number): number {
  return SEGMENT_SIZES.find((s) => Math.ceil(decisions / s) <= MAX_SEGMENTS) ?? Math.ceil(decisions / MAX_SEGMENTS);
}

export function segmentId(slotSpan: string, size: number, index: number): string {
  return `segment:${slotSpan}:${size}:${index}`;
}

type Input = {
  groups: ItemGroup[];
  units: Unit[];
  decisionCount: Int32Array;
  expanded: ReadonlySet<string>;
  slotSpan: (slot: number) => string;
  budget?: number;
};

/** null when everything fits. Slot = group index + 1; slot 0 is the run level. */
export function budgetPlan({ groups, units, decisionCount, expanded, slotSpan, budget = DEFAULT_NODE_BUDGET }: Input) {
  if (units.length <= budget) return null;
  const slots = groups.length + 1;
  const own = new Int32Array(slots);
  const perSegment = new Map<number, number[]>();
  for (const u of units) {
    own[u.slot]!++;
    const size = segmentSize(decisionCount[u.slot]!);
    if (decisionCount[u.slot]! <= size || u.entry) continue;
    let counts = perSegment.get(u.slot);
    if (!counts) perSegment.set(u.slot, (counts = []));
    const k = Math.floor(u.ordinal / size);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  /** Own nodes once cut into segments: one per closed segment, all of an open one, plus the agent's node. */
  const cutOwn = (slot: number) => {
    const counts = perSegment.get(slot);
    if (!counts) return Infinity;
    const size = segmentSize(decisionCount[slot]!);
    let total = own[slot]!;
    counts.forEach((c, k) => (total -= expanded.has(segmentId(slotSpan(slot), size, k)) ? 0 : c - 1));
    return total;
  };

  const children: number[][] = Array.from({ length: slots }, () => []);
  for (let g = 0; g < groups.length; g++) children[groups[g]!.parent + 1]!.push(g);
  const subtree = new Float64Array(groups.length);
  for (let g = groups.length - 1; g >= 0; g--) {
    subtree[g]! += own[g + 1]!;
    const p = groups[g]!.parent;
    if (p >= 0) subtree[p]! += subtree[g]!;
  }
  const pinned = new Uint8Array(groups.length);
  const bySpan = new Map(groups.map((g, i) => [`group:${g.step.spanId}`, i]));
  for (const id of expanded) for (let g = bySpan.get(id) ?? -1; g >= 0 && !pinned[g]; g = groups[g]!.parent) pinned[g] = 1;
  if (children[0]!.length === 1) pinned[children[0]![0]!] = 1;

  const collapsed = new Uint8Array(groups.length);
  const segmented = new Uint8Array(slots);
  let count = 0;
  let level: number[] = [];
  /** Opens a slot: its own nodes (cut when they would not fit) and a placeholder per child; queues the children to try. */
  const open = (slot: number, force: boolean): boolean => {
    const kids = children[slot]!;
    const self = slot === 0 ? 0 : 1;
    const cost = own[slot]! + kids.length - self;
    const cut = cutOwn(slot) + kids.filter((c) => pinned[c]).length - self;
    if (count + cost > budget && cut < cost && (force || count + cut <= budget)) {
      count += cut;
      segmented[slot] = 1;
      for (const c of kids) if (pinned[c]) level.push(c);
      return true;
    }
    if (count + cost > budget && !force) return false;
    count += cost;
    for (const c of kids) level.push(c);
    return true;
  };
  open(0, true);
  while (level.length) {
    const current = level.sort((a, b) => pinned[b]! - pinned[a]! || subtree[a]! - subtree[b]! || a - b);
    level = [];
    for (const g of current) if (!open(g + 1, pinned[g] === 1)) collapsed[g] = 1;
  }
  const hidden = new Uint8Array(groups.length);
  for (let g = 0; g < groups.length; g++) {
    const p = groups[g]!.parent;
    // Children of a segmented agent were never queued: they are closed, inside its segments.
    if (segmented[p + 1] && !pinned[g]) collapsed[g] = 1;
    if (collapsed[g] || (p >= 0 && hidden[p])) hidden[g] = 1;
  }
  return { collapsed, segmented, hidden };
}
