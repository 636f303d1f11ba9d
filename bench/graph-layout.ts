/**
 * `npx tsx bench/graph-layout.ts` — decision graph build and layout time on
 * realistic agent-shaped runs (lib/graph/run-builder.ts agentShapedRun: an
 * orchestrator loop with parallel tool calls, research sub-agents run by a tool,
 * repeated searches, a handoff). Median of 5 after 2 warm-ups.
 *
 * "every node" draws the whole graph (loops still collapsed, no node budget) to
 * measure the layout itself; "default" is what the run page shows for runs over
 * the 1,500-node budget. The dagre column lays out the same graph with
 * @dagrejs/dagre (LR, agent boxes as compound nodes) for comparison, up to 1,000
 * nodes (beyond, it takes minutes); BENCH_DAGRE=0 skips it.
 */
import { cpus } from "node:os";
import dagre from "@dagrejs/dagre";
import { buildDecisionGraph, type DecisionGraph } from "@/lib/graph/decision-graph";
import { layoutGraph, layoutInputOf, LAYOUT_SIZES } from "@/lib/graph/layout";
import { agentShapedRun } from "@/lib/graph/run-builder";

const TARGETS = [200, 1000, 5000];
const WITH_DAGRE = process.env.BENCH_DAGRE !== "0";

function median(f: () => void, runs = 5, warmups = 2): number {
  for (let i = 0; i < warmups; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** A run whose full graph has about `nodes` nodes (the shape has ~0.94 nodes per step). */
function runWithNodes(nodes: number) {
  return agentShapedRun(Math.round(nodes / 0.94));
}

function dagreLayout(graph: DecisionGraph): void {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: LAYOUT_SIZES.rowGap, ranksep: LAYOUT_SIZES.columnGap });
  g.setDefaultEdgeLabel(() => ({}));
  graph.groups.forEach((group, i) => {
    g.setNode(`g${i}`, {});
    if (group.parent >= 0) g.setParent(`g${i}`, `g${group.parent}`);
  });
  graph.nodes.forEach((n, i) => {
    g.setNode(`n${i}`, { width: LAYOUT_SIZES.nodeWidth, height: LAYOUT_SIZES.nodeHeight });
    if (n.group >= 0) g.setParent(`n${i}`, `g${n.group}`);
  });
  for (const e of graph.edges) g.setEdge(`n${e.from}`, `n${e.to}`);
  dagre.layout(g);
}

const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
const row = (steps: number, graph: DecisionGraph, view: string, build: number, layout: number, dagreMs = "") =>
  console.log(
    `${steps.toLocaleString("en-US").padStart(8)} ${graph.nodes.length.toLocaleString("en-US").padStart(7)}  ${view.padEnd(26)}${ms(build)}${ms(layout)}${ms(build + layout)}   ${dagreMs}`,
  );

console.log(`decision graph build + layout, node ${process.version}, ${cpus().length} CPUs, median of 5\n`);
console.log(`   steps   nodes  view                           build    layout     total   dagre, same graph`);
for (const target of TARGETS) {
  const detail = runWithNodes(target);
  let graph = buildDecisionGraph(detail, { nodeBudget: Infinity });
  const build = median(() => (graph = buildDecisionGraph(detail, { nodeBudget: Infinity })));
  const layout = median(() => layoutGraph(layoutInputOf(graph)));
  const dagreMs = WITH_DAGRE && target <= 1000 ? ms(median(() => dagreLayout(graph), 3, 1)) : "";
  row(detail.steps.length, graph, "every node (no budget)", build, layout, dagreMs);
}

// Beyond the budget the page draws summaries: building them is the cost, the layout is tiny.
for (const steps of [5000, 20_000, 100_000]) {
  const detail = agentShapedRun(steps);
  let graph = buildDecisionGraph(detail);
  const build = median(() => (graph = buildDecisionGraph(detail)), 3, 1);
  const layout = median(() => layoutGraph(layoutInputOf(graph)), 3, 1);
  const { collapsedGroups, segments, collapsedLoops } = graph.stats;
  row(
    detail.steps.length,
    graph,
    "default (budget 1,500)",
    build,
    layout,
    `(${collapsedGroups} agents, ${segments} segments, ${collapsedLoops} loops closed)`,
  );
}
