import type { DecisionGraph } from "@/lib/graph/decision-graph";
import { assignRanks } from "@/lib/graph/rank";

/**
 * Places the decision graph: left to right by causal and time order (rank.ts), one
 * horizontal band per agent box, nested sub-agents below their parent's own row
 * inside its box. Pure, deterministic, O((n + e) log n), no recursion. Groups must
 * list parents before children, as buildDecisionGraph emits them.
 *
 * Why not dagre (measured on this 2-core machine, LR, agent-shaped graphs):
 * 185 ms at 200 nodes and 969 ms at 1,000 flat, 350 ms / 1,465 ms with the compound
 * nodes agent boxes need — at or over the 200 ms / 1 s targets before any drawing,
 * and it optimizes crossings, not reading order. Agent runs are long chains with
 * little branching, so a layered layout whose layers are time itself reads better
 * and is linear: see bench/graph-layout.ts for figures.
 *
 * Boxes: within a box, nodes sharing a column stack in rows (so no two overlap);
 * child boxes are packed below in shelves, first fit by column range, so agents
 * that ran one after another (a handoff, a sub-agent called in a loop) share a
 * band instead of each taking a new one. Horizontal box padding grows with nesting
 * depth so nested boxes do not share edges, and stays under half the column gap so
 * neighbours in a shelf never touch.
 */
export type LayoutInput = {
  /** Per node: its group (box), -1 for the run level. */
  nodeGroup: Int32Array;
  /** Per node: start and end in ns since the run started; end NaN while open. */
  t0: Float64Array;
  t1: Float64Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Per group: the enclosing group, -1 at the top. */
  groupParent: Int32Array;
};

export const LAYOUT_SIZES = {
  nodeWidth: 168,
  nodeHeight: 40,
  columnGap: 64,
  rowGap: 14,
  groupHeader: 24,
  groupPadding: 10,
  shelfGap: 18,
  margin: 40,
};
export type LayoutSizes = typeof LAYOUT_SIZES;

export type GraphLayout = {
  /** Top-left corner of each node. */
  x: Float64Array;
  y: Float64Array;
  rank: Int32Array;
  /** Per group: x, y, width, height (NaN for a group with nothing inside). */
  groupBox: Float64Array;
  width: number;
  height: number;
  sizes: LayoutSizes;
};

export function layoutInputOf(graph: Pick<DecisionGraph, "nodes" | "edges" | "groups">): LayoutInput {
  return {
    nodeGroup: Int32Array.from(graph.nodes, (n) => n.group),
    t0: Float64Array.from(graph.nodes, (n) => n.t0),
    t1: Float64Array.from(graph.nodes, (n) => n.t1),
    edgeFrom: Int32Array.from(graph.edges, (e) => e.from),
    edgeTo: Int32Array.from(graph.edges, (e) => e.to),
    groupParent: Int32Array.from(graph.groups, (g) => g.parent),
  };
}

export function layoutGraph(input: LayoutInput, sizes: LayoutSizes = LAYOUT_SIZES): GraphLayout {
  const n = input.nodeGroup.length;
  const blocks = input.groupParent.length + 1; // block g + 1 for group g; block 0 is the run level
  const { rank, columns } = assignRanks(input.t0, input.t1, input.edgeFrom, input.edgeTo);
  const colPitch = sizes.nodeWidth + sizes.columnGap;
  const rowPitch = sizes.nodeHeight + sizes.rowGap;

  // Rows: nodes of one box in one column stack in time order.
  const row = new Int32Array(n);
  const rows = new Int32Array(blocks);
  const minRank = new Float64Array(blocks).fill(Infinity);
  const maxRank = new Float64Array(blocks).fill(-Infinity);
  const used = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const b = input.nodeGroup[i]! + 1;
    const key = rank[i]! * blocks + b;
    const r = used.get(key) ?? 0;
    used.set(key, r + 1);
    row[i] = r;
    if (r + 1 > rows[b]!) rows[b] = r + 1;
    if (rank[i]! < minRank[b]!) minRank[b] = rank[i]!;
    if (rank[i]! > maxRank[b]!) maxRank[b] = rank[i]!;
  }

  const { order, children } = blockTree(input.groupParent);
  const depthBelow = new Int32Array(blocks);
  const height = new Float64Array(blocks);
  const shelfOf = new Int32Array(blocks);
  const shelfTops: number[][] = Array.from({ length: blocks }, () => []);
  const header = (b: number) => (b === 0 ? 0 : sizes.groupHeader);
  const ownHeight = (b: number) => (rows[b]! ? rows[b]! * rowPitch - sizes.rowGap : 0);
  for (let k = order.length - 1; k >= 0; k--) {
    const b = order[k]!;
    const kids = children[b]!.filter((c) => minRank[c]! <= maxRank[c]!);
    kids.sort((a, c) => minRank[a]! - minRank[c]! || a - c);
    const shelfEnd: number[] = [];
    const shelfHeight: number[] = [];
    for (const c of kids) {
      let s = shelfEnd.findIndex((end) => end < minRank[c]!);
      if (s < 0) s = shelfEnd.push(-Infinity) - 1;
      shelfEnd[s] = maxRank[c]!;
      shelfHeight[s] = Math.max(shelfHeight[s] ?? 0, height[c]!);
      shelfOf[c] = s;
      minRank[b] = Math.min(minRank[b]!, minRank[c]!);
      maxRank[b] = Math.max(maxRank[b]!, maxRank[c]!);
      depthBelow[b] = Math.max(depthBelow[b]!, depthBelow[c]! + 1);
    }
    let y = header(b) + ownHeight(b) + (ownHeight(b) && shelfHeight.length ? sizes.shelfGap : 0);
    for (let s = 0; s < shelfHeight.length; s++) {
      shelfTops[b]!.push(y);
      y += shelfHeight[s]! + (s < shelfHeight.length - 1 ? sizes.shelfGap : 0);
    }
    height[b] = minRank[b]! > maxRank[b]! ? 0 : b === 0 ? y : y + sizes.groupPadding;
  }

  const top = new Float64Array(blocks);
  top[0] = sizes.margin;
  for (const b of order) for (const c of children[b]!) top[c] = top[b]! + (shelfTops[b]![shelfOf[c]!] ?? 0);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = input.nodeGroup[i]! + 1;
    x[i] = sizes.margin + rank[i]! * colPitch;
    y[i] = top[b]! + header(b) + row[i]! * rowPitch;
  }
  const groupBox = new Float64Array(4 * (blocks - 1)).fill(NaN);
  for (let b = 1; b < blocks; b++) {
    if (minRank[b]! > maxRank[b]!) continue;
    const pad = sizes.groupPadding + 6 * Math.min(depthBelow[b]!, 3);
    const left = sizes.margin + minRank[b]! * colPitch - pad;
    groupBox.set([left, top[b]!, (maxRank[b]! - minRank[b]!) * colPitch + sizes.nodeWidth + 2 * pad, height[b]!], 4 * (b - 1));
  }
  return {
    x,
    y,
    rank,
    groupBox,
    width: 2 * sizes.margin + Math.max(columns - 1, 0) * colPitch + (columns ? sizes.nodeWidth : 0),
    height: 2 * sizes.margin + height[0]!,
    sizes,
  };
}

/**
 * Blocks parents first. Groups list parents before children (buildDecisionGraph emits
 * them so), which makes index order top-down; a parent that breaks this is ignored.
 */
function blockTree(groupParent: Int32Array) {
  const blocks = groupParent.length + 1;
  const children: number[][] = Array.from({ length: blocks }, () => []);
  for (let g = 0; g < groupParent.length; g++) {
    const p = groupParent[g]!;
    children[p >= 0 && p < g ? p + 1 : 0]!.push(g + 1);
  }
  return { order: Array.from({ length: blocks }, (_, b) => b), children };
}
