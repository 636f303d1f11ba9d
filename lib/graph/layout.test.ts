import assert from "node:assert/strict";
import { test } from "node:test";
import { buildDecisionGraph, type DecisionGraph } from "@/lib/graph/decision-graph";
import { layoutGraph, layoutInputOf, LAYOUT_SIZES, type GraphLayout } from "@/lib/graph/layout";
import { agentShapedRun, RunBuilder } from "@/lib/graph/run-builder";

const W = LAYOUT_SIZES.nodeWidth;
const H = LAYOUT_SIZES.nodeHeight;

function laidOut(graph: DecisionGraph) {
  return { graph, layout: layoutGraph(layoutInputOf(graph)) };
}
const at = (g: DecisionGraph, l: GraphLayout, id: string) => {
  const i = g.indexOf.get(id)!;
  return { x: l.x[i]!, y: l.y[i]!, rank: l.rank[i]! };
};
const box = (l: GraphLayout, g: number) => {
  const [x, y, w, h] = l.groupBox.subarray(4 * g, 4 * g + 4);
  return { x: x!, y: y!, w: w!, h: h! };
};

/** Every pair of node rectangles that overlap (bucketed by column: all nodes share one size). */
function overlaps(l: GraphLayout): [number, number][] {
  const byX = new Map<number, number[]>();
  l.x.forEach((x, i) => byX.set(x, [...(byX.get(x) ?? []), i]));
  const out: [number, number][] = [];
  for (const column of byX.values()) {
    column.sort((a, b) => l.y[a]! - l.y[b]!);
    for (let k = 1; k < column.length; k++)
      if (l.y[column[k]!]! - l.y[column[k - 1]!]! < H) out.push([column[k - 1]!, column[k]!]);
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  for (let k = 1; k < xs.length; k++) assert.ok(xs[k]! - xs[k - 1]! >= W, "columns never overlap");
  return out;
}

test("edges point forward and no two nodes overlap, on a realistic run", () => {
  const { graph, layout } = laidOut(buildDecisionGraph(agentShapedRun(2000), { nodeBudget: Infinity }));
  const backwards = graph.edges.filter((e) => layout.x[e.to]! <= layout.x[e.from]!);
  assert.deepEqual(backwards, []);
  assert.deepEqual(overlaps(layout), []);
  assert.ok(layout.width >= Math.max(...layout.x) + W && layout.height >= Math.max(...layout.y) + H);
});

test("parallel tool calls share a column and stack in their agent's band", () => {
  const run = new RunBuilder();
  const a = run.agent("a");
  const d = run.decision({ parent: a });
  const [t1, t2, t3] = run.parallel(() => ["x", "y", "z"].map((name) => run.tool(name, { parent: a, chosenBy: d })));
  const d2 = run.decision({ parent: a, consumes: [t1!, t2!, t3!] });
  const { graph: g, layout: l } = laidOut(buildDecisionGraph(run.detail()));
  assert.deepEqual(
    [a, d, t1!, t2!, t3!, d2].map((id) => at(g, l, id).rank),
    [0, 1, 2, 2, 2, 3],
  );
  assert.deepEqual(
    [t1!, t2!, t3!].map((id) => at(g, l, id).y - at(g, l, a).y),
    [0, H + LAYOUT_SIZES.rowGap, 2 * (H + LAYOUT_SIZES.rowGap)],
  );
});

test("a step that started after another ended sits to its right, even without an edge", () => {
  const run = new RunBuilder();
  const root = run.step("chain", "workflow");
  const x = run.agent("x", { parent: root });
  run.decision({ parent: x });
  const y = run.agent("y", { parent: root });
  const dy = run.decision({ parent: y });
  const { graph: g, layout: l } = laidOut(buildDecisionGraph(run.detail()));
  assert.ok(at(g, l, y).x > at(g, l, x).x);
  assert.ok(at(g, l, dy).x > at(g, l, y).x);
});

test("agents that ran one after another share a band; nested boxes sit inside their parent's", () => {
  const run = new RunBuilder();
  const a = run.agent("orchestrator");
  const subs: string[] = [];
  let prev: string[] = [];
  for (let i = 0; i < 3; i++) {
    const d = run.decision({ parent: a, consumes: prev });
    const t = run.tool("delegate", { parent: a, chosenBy: d });
    const sub = run.agent("researcher", { parent: t });
    subs.push(sub);
    run.decision({ parent: sub });
    prev = [t];
  }
  const { graph: g, layout: l } = laidOut(buildDecisionGraph(run.detail()));
  const boxes = g.groups.map((_, i) => box(l, i));
  const [outer, ...inner] = boxes;
  assert.equal(inner.length, 3);
  assert.equal(new Set(inner.map((b) => b.y)).size, 1, "sequential sub-agents share one band");
  for (let k = 1; k < inner.length; k++) assert.ok(inner[k]!.x >= inner[k - 1]!.x + inner[k - 1]!.w, "and do not overlap");
  for (const b of inner) {
    assert.ok(b.x > outer!.x && b.x + b.w < outer!.x + outer!.w, "inside the parent horizontally");
    assert.ok(b.y > outer!.y && b.y + b.h <= outer!.y + outer!.h, "and vertically");
  }
  g.nodes.forEach((n, i) => {
    const b = boxes[n.group]!;
    assert.ok(l.x[i]! >= b.x && l.x[i]! + W <= b.x + b.w && l.y[i]! >= b.y && l.y[i]! + H <= b.y + b.h, `${n.id} in its box`);
  });
});

test("concurrent sub-agents get bands of their own", () => {
  const run = new RunBuilder();
  const a = run.agent("lead");
  const d = run.decision({ parent: a });
  const [s1, s2] = run.parallel(() => [run.agent("worker", { parent: a }), run.agent("worker", { parent: a })]);
  run.parallel(() => [run.decision({ parent: s1 }), run.decision({ parent: s2 })]);
  const { graph: g, layout: l } = laidOut(buildDecisionGraph(run.detail()));
  assert.ok(at(g, l, s1!).x > at(g, l, d).x);
  assert.equal(at(g, l, s1!).x, at(g, l, s2!).x);
  assert.notEqual(at(g, l, s1!).y, at(g, l, s2!).y);
  assert.deepEqual(overlaps(l), []);
});

test("the same input lays out the same, and a clock-skew cycle still places every node", () => {
  const graph = buildDecisionGraph(agentShapedRun(600));
  const a = layoutGraph(layoutInputOf(graph));
  const b = layoutGraph(layoutInputOf(graph));
  assert.deepEqual([a.x, a.y, a.groupBox], [b.x, b.y, b.groupBox]);

  const input = {
    nodeGroup: Int32Array.from([-1, -1, -1]),
    t0: Float64Array.from([0, 10, 20]),
    t1: Float64Array.from([5, 15, NaN]),
    edgeFrom: Int32Array.from([0, 1, 2]),
    edgeTo: Int32Array.from([1, 2, 0]),
    groupParent: new Int32Array(0),
  };
  const l = layoutGraph(input);
  assert.deepEqual([...l.rank], [0, 1, 2]);
  assert.equal(
    layoutGraph({
      ...input,
      nodeGroup: new Int32Array(0),
      t0: new Float64Array(0),
      t1: new Float64Array(0),
      edgeFrom: new Int32Array(0),
      edgeTo: new Int32Array(0),
    }).x.length,
    0,
  );
});

test("10,000 nodes lay out well within a second", () => {
  const graph = buildDecisionGraph(agentShapedRun(10_800), { nodeBudget: Infinity });
  assert.ok(graph.nodes.length >= 10_000, `${graph.nodes.length} nodes`);
  const started = performance.now();
  const layout = layoutGraph(layoutInputOf(graph));
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  assert.deepEqual(overlaps(layout), []);
  assert.equal(
    graph.edges.some((e) => layout.x[e.to]! <= layout.x[e.from]!),
    false,
  );
});
