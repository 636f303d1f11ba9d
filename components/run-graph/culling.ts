import type { GraphLayout } from "@/lib/graph/layout";
import type { Rect, Size, ViewTransform } from "@/components/run-graph/viewport";

/**
 * Viewport culling for large graphs: only the nodes and edges near the visible part
 * of the canvas are in the DOM. A selection restyles every drawn node (the path
 * highlight fades the rest), so on a 1,500-node graph a click cost ~100–350 ms of
 * style, layout and paint; a few hundred drawn nodes keep it to a frame.
 *
 * The drawn area (the "window") is the view grown by one view size on every side, and
 * is kept while the view stays inside it: panning re-renders about once per screen
 * width, not on every frame.
 */

/** Graphs up to this many nodes are drawn whole (every node reachable by Tab and by tests). */
export const CULL_ABOVE = 400;

/** The part of the graph (graph coordinates) on screen under `t`. */
export function viewRect(t: ViewTransform, view: Size): Rect {
  return { x: -t.x / t.k, y: -t.y / t.k, width: view.width / t.k, height: view.height / t.k };
}

/**
 * The window to draw for view `v`: `current` while `v` stays inside it and it is not
 * much larger than needed (after zooming in), else `v` grown by its size on each side.
 */
export function nextWindow(current: Rect | null, v: Rect): Rect {
  if (current && inside(v, current) && current.width * current.height <= 25 * v.width * v.height) return current;
  return { x: v.x - v.width, y: v.y - v.height, width: 3 * v.width, height: 3 * v.height };
}

/** Indices of the nodes whose box meets `w`, in index order. */
export function nodesIn(layout: GraphLayout, w: Rect): number[] {
  const { nodeWidth, nodeHeight } = layout.sizes;
  const out: number[] = [];
  for (let i = 0; i < layout.x.length; i++) if (meets(layout.x[i]!, layout.y[i]!, nodeWidth, nodeHeight, w)) out.push(i);
  return out;
}

/**
 * Indices of the edges whose bounding box meets `w` (an edge arcing over its row rises
 * by a node height: graph-edges.tsx).
 */
export function edgesIn(layout: GraphLayout, edges: ReadonlyArray<{ from: number; to: number }>, w: Rect): number[] {
  const { nodeWidth, nodeHeight } = layout.sizes;
  const out: number[] = [];
  for (let k = 0; k < edges.length; k++) {
    const { from, to } = edges[k]!;
    const x1 = Math.min(layout.x[from]!, layout.x[to]!);
    const x2 = Math.max(layout.x[from]!, layout.x[to]!) + nodeWidth;
    const y1 = Math.min(layout.y[from]!, layout.y[to]!) - nodeHeight;
    const y2 = Math.max(layout.y[from]!, layout.y[to]!) + nodeHeight;
    if (meets(x1, y1, x2 - x1, y2 - y1, w)) out.push(k);
  }
  return out;
}

function inside(a: Rect, b: Rect): boolean {
  return a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;
}

function meets(x: number, y: number, width: number, height: number, w: Rect): boolean {
  return x < w.x + w.width && x + width > w.x && y < w.y + w.height && y + height > w.y;
}
