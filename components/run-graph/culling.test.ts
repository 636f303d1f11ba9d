import assert from "node:assert/strict";
import { test } from "node:test";
import { edgesIn, nextWindow, nodesIn, viewRect } from "@/components/run-graph/culling";
import { LAYOUT_SIZES, type GraphLayout } from "@/lib/graph/layout";

/** Nodes on one row, 232 px apart (168 wide), plus one far below. */
function rowLayout(n: number): GraphLayout {
  const x = Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? i * 232 : 0));
  const y = Float64Array.from({ length: n + 1 }, (_, i) => (i < n ? 0 : 5_000));
  return { x, y, sizes: LAYOUT_SIZES } as unknown as GraphLayout;
}

test("the view rectangle is the screen mapped back to graph coordinates", () => {
  assert.deepEqual(viewRect({ k: 2, x: -200, y: 100 }, { width: 1000, height: 500 }), {
    x: 100,
    y: -50,
    width: 500,
    height: 250,
  });
});

test("only nodes meeting the window are drawn, in index order", () => {
  const layout = rowLayout(100);
  // x from 1000 to 2000: node 4 (928–1096) overlaps the left edge, node 8 (1856–2024) the right one.
  assert.deepEqual(nodesIn(layout, { x: 1000, y: -10, width: 1000, height: 100 }), [4, 5, 6, 7, 8]);
  assert.deepEqual(nodesIn(layout, { x: -50, y: 4_990, width: 100, height: 100 }), [100]);
  assert.deepEqual(nodesIn(layout, { x: 1e6, y: 0, width: 10, height: 10 }), []);
});

test("an edge crossing the window is drawn even when both of its ends are outside", () => {
  const layout = rowLayout(100);
  const edges = [
    { from: 0, to: 50 }, // spans the window
    { from: 1, to: 2 }, // left of it
    { from: 60, to: 61 }, // right of it
    { from: 5, to: 100 }, // down to the far node: its box meets the window
  ];
  assert.deepEqual(edgesIn(layout, edges, { x: 3000, y: -10, width: 500, height: 60 }), [0]);
  assert.deepEqual(edgesIn(layout, edges, { x: 1200, y: 1000, width: 100, height: 100 }), [3]);
});

test("the drawn window is kept while the view pans inside it, and redrawn when it leaves or zooms in far", () => {
  const view = { width: 1000, height: 500 };
  const first = nextWindow(null, viewRect({ k: 1, x: 0, y: 0 }, view));
  assert.deepEqual(first, { x: -1000, y: -500, width: 3000, height: 1500 });
  // Half a screen to the right: still inside, same object (no re-render).
  assert.equal(nextWindow(first, viewRect({ k: 1, x: -500, y: 0 }, view)), first);
  // A screen and a half: outside, a new window around the new view.
  const moved = nextWindow(first, viewRect({ k: 1, x: -1500, y: 0 }, view));
  assert.notEqual(moved, first);
  assert.equal(moved.x, 500);
  // Zoomed out: the view no longer fits.
  assert.notEqual(nextWindow(first, viewRect({ k: 0.25, x: 0, y: 0 }, view)), first);
  // Zoomed far in: inside, but the window would draw 36× the screen: shrink it.
  const zoomed = nextWindow(first, viewRect({ k: 6, x: 0, y: 0 }, view));
  assert.notEqual(zoomed, first);
  assert.ok(zoomed.width < first.width);
});
