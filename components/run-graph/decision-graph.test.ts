import assert from "node:assert/strict";
import { test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { DecisionGraph, type DecisionGraphProps } from "@/components/run-graph/decision-graph";
import { edgePath } from "@/components/run-graph/graph-edges";
import { markPath } from "@/components/run-graph/highlight";
import { neighbour } from "@/components/run-graph/navigation";
import { buildDecisionGraph } from "@/lib/graph/decision-graph";
import { layoutGraph, layoutInputOf } from "@/lib/graph/layout";
import { RunBuilder } from "@/lib/graph/run-builder";

/**
 * The component's markup without a browser (small graphs lay out synchronously, so
 * the first render already has every node): the roles, labels and data attributes
 * Playwright and the run page rely on.
 */
function weatherRun() {
  const run = new RunBuilder();
  const a = run.agent("triage");
  const d1 = run.decision({ parent: a, model: "gpt-4o" });
  const t1 = run.tool("get_weather", { parent: a, chosenBy: d1 });
  const d2 = run.decision({ parent: a, consumes: [t1] });
  const d3 = run.decision({ parent: a });
  return { run, a, d1, t1, d2, d3 };
}

function render(props: Partial<DecisionGraphProps> & Pick<DecisionGraphProps, "detail">): string {
  return renderToStaticMarkup(
    createElement(DecisionGraph, {
      selectedSpanId: null,
      onSelect() {},
      expanded: new Set<string>(),
      onToggleExpand() {},
      ...props,
    }),
  );
}
/** The opening tag of the element carrying `attr="value"`. */
function tagWith(html: string, attr: string, value: string): string {
  const m = new RegExp(`<[a-z]+ [^>]*${attr}="${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`).exec(html);
  assert.ok(m, `no element with ${attr}="${value}"`);
  return m[0];
}

test("nodes are labelled buttons carrying their span id", () => {
  const { run, d1, t1 } = weatherRun();
  const html = render({ detail: run.detail() });
  const decision = tagWith(html, "data-span-id", d1);
  assert.match(decision, /role="button"/);
  assert.match(decision, /aria-label="decision gpt-4o, chose get_weather"/);
  assert.match(decision, /aria-pressed="false"/);
  assert.match(tagWith(html, "data-span-id", t1), /aria-label="tool get_weather"/);
  assert.equal((html.match(/tabindex="0"/g) ?? []).length, 1, "one tab stop for the whole graph");
  assert.match(html, /aria-label="agent triage"/);
  assert.match(html, />5 nodes</);
});

test("edges carry their kind and the span ids of their ends", () => {
  const { run, a, d1, t1, d2, d3 } = weatherRun();
  const html = render({ detail: run.detail() });
  const edges = [...html.matchAll(/<path [^>]*data-edge-kind="([a-z_]+)" data-from="([^"]+)" data-to="([^"]+)"/g)].map((m) =>
    m.slice(1).join(" "),
  );
  assert.deepEqual(
    edges.sort(),
    [`sequence ${a} ${d1}`, `sequence ${d2} ${d3}`, `tool_call ${d1} ${t1}`, `tool_result ${t1} ${d2}`].sort(),
  );
  assert.match(html, /marker-end="url\(#arrow-[A-Za-z0-9_-]+-tool_call\)"/);
});

test("the selected node is pressed and is the tab stop", () => {
  const { run, d1, d2 } = weatherRun();
  const html = render({ detail: run.detail(), selectedSpanId: d2 });
  const selected = tagWith(html, "data-span-id", d2);
  assert.match(selected, /aria-pressed="true"/);
  assert.match(selected, /tabindex="0"/);
  assert.match(tagWith(html, "data-span-id", d1), /aria-pressed="false"/);
});

test("the highlighted path is marked on its nodes and edges, and cleared", () => {
  const el = (attrs: Record<string, string>) => {
    const state = new Map(Object.entries(attrs));
    return {
      state,
      getAttribute: (k: string) => state.get(k) ?? null,
      toggleAttribute: (k: string, on: boolean) => (on ? state.set(k, "") : state.delete(k)),
    };
  };
  const nodes = ["a", "b"].map((id) => el({ "data-node-id": id }));
  const edges = ["a->b", "b->c"].map((id) => el({ "data-edge-id": id }));
  const root = { ...el({}), querySelectorAll: (sel: string) => (sel.includes("node") ? nodes : edges) };
  markPath(root, { nodes: new Set(["a"]), edges: new Set(["a->b"]) });
  assert.equal(root.state.has("data-path-active"), true);
  assert.deepEqual(
    [...nodes, ...edges].map((x) => x.state.has("data-on-path")),
    [true, false, true, false],
  );
  markPath(root, null);
  assert.equal(root.state.has("data-path-active"), false);
  assert.equal(
    [...nodes, ...edges].some((x) => x.state.has("data-on-path")),
    false,
  );
});

test("an edge that skips columns along a row arcs over the nodes between", () => {
  const { run } = weatherRun();
  const graph = buildDecisionGraph(run.detail());
  const layout = layoutGraph(layoutInputOf(graph));
  assert.match(edgePath(layout, 0, 1), /^M[\d.]+,[\d.]+C/);
  const far = edgePath(layout, 0, 3);
  const [, y] = /^M[\d.]+,([\d.]+)C[\d.]+,([\d.]+)/.exec(far)!.slice(0, 2);
  assert.ok(Number(/C[\d.]+,([\d.]+)/.exec(far)![1]) < Number(y), "the arc rises above the row");
});

test("a collapsed loop is an expandable button; an opened one offers to close", () => {
  const run = new RunBuilder();
  const a = run.agent("searcher");
  let prev: string[] = [];
  const ds: string[] = [];
  for (let i = 0; i < 4; i++) {
    ds.push(run.decision({ parent: a, consumes: prev }));
    prev = [run.tool("search_web", { parent: a, chosenBy: ds.at(-1) })];
  }
  const detail = run.detail();
  const loop = tagWith(render({ detail }), "data-node-id", `loop:${ds[0]}`);
  assert.match(loop, /aria-label="loop search_web ×4, 8 steps, collapsed"/);
  assert.match(loop, /aria-expanded="false"/);
  const open = render({ detail, expanded: new Set([`loop:${ds[0]}`]) });
  assert.match(open, /aria-label="collapse search_web ×4"/);
});

test("span text is drawn as text, never markup", () => {
  const run = new RunBuilder();
  const a = run.agent("<img src=x onerror=alert(1)>");
  run.tool("<script>alert(1)</script>", { parent: a });
  const html = render({ detail: run.detail() });
  assert.doesNotMatch(html, /<script>|<img /);
  assert.match(html, /&lt;script&gt;/);
});

test("an empty run says so", () => {
  assert.match(render({ detail: new RunBuilder().detail() }), /No steps to draw yet/);
});

test("arrow keys follow causal edges and columns", () => {
  const { run, a, d1, t1, d2 } = weatherRun();
  const graph = buildDecisionGraph(run.detail());
  const placed = { graph, layout: layoutGraph(layoutInputOf(graph)) };
  const at = (id: string) => graph.indexOf.get(id)!;
  const id = (i: number | null) => (i === null ? null : graph.nodes[i]!.id);
  assert.equal(id(neighbour(placed, at(d1), "ArrowRight")), t1);
  assert.equal(id(neighbour(placed, at(d2), "ArrowLeft")), t1, "the recorded cause before the implied one");
  assert.equal(id(neighbour(placed, at(a), "ArrowLeft")), null);
  assert.equal(id(neighbour(placed, at(d1), "ArrowDown")), null);
  assert.equal(id(neighbour(placed, at(d2), "End")), graph.nodes.at(-1)!.id);
  assert.equal(neighbour(placed, 0, "x"), null);
});
