import assert from "node:assert/strict";
import { test } from "node:test";
import { buildDecisionGraph, causalAncestors, type DecisionGraph } from "@/lib/graph/decision-graph";
import { agentShapedRun, RunBuilder } from "@/lib/graph/run-builder";

/** "from->to kind" for every edge, in a stable order, by node id. */
function edgeList(g: DecisionGraph, kinds?: string[]): string[] {
  return g.edges
    .filter((e) => !kinds || kinds.includes(e.kind))
    .map((e) => `${g.nodes[e.from]!.id}->${g.nodes[e.to]!.id} ${e.kind}`)
    .sort();
}
const node = (g: DecisionGraph, id: string) => g.nodes[g.indexOf.get(id)!]!;
const groupOf = (g: DecisionGraph, id: string) => g.groups[node(g, id).group]?.label ?? null;

test("decisions, the tools they chose and the results they read", () => {
  // triage ─ d1 (chooses get_weather) ─ t1 ─ d2 (reads t1)
  const run = new RunBuilder();
  const a = run.agent("triage");
  const d1 = run.decision({ parent: a, model: "gpt-4o" });
  const t1 = run.tool("get_weather", { parent: a, chosenBy: d1 });
  const d2 = run.decision({ parent: a, consumes: [t1] });
  const g = buildDecisionGraph(run.detail());

  assert.deepEqual(
    g.nodes.map((n) => [n.id, n.kind, n.label]),
    [
      [a, "agent", "triage"],
      [d1, "decision", "gpt-4o"],
      [t1, "tool", "get_weather"],
      [d2, "decision", "gpt-4o"],
    ],
  );
  assert.equal(node(g, d1).detail, "→ get_weather");
  assert.equal(node(g, d1).ariaLabel, "decision gpt-4o, chose get_weather");
  assert.equal(node(g, t1).ariaLabel, "tool get_weather");
  // The agent leads to its first decision; d1 -> d2 needs no sequence edge: the tool links them.
  assert.deepEqual(edgeList(g), [`${a}->${d1} sequence`, `${d1}->${t1} tool_call`, `${t1}->${d2} tool_result`]);
  assert.deepEqual(
    g.groups.map((x) => x.label),
    ["triage"],
  );
  assert.ok(g.nodes.every((n) => n.group === 0));
});

test("consecutive decisions with no tool between them get a sequence edge", () => {
  const run = new RunBuilder();
  const a = run.agent("writer");
  const d1 = run.decision({ parent: a });
  const d2 = run.decision({ parent: a });
  const t = run.tool("search", { parent: a, chosenBy: d1 }); // chosen by d1 but read by nobody
  const d3 = run.decision({ parent: a });
  const g = buildDecisionGraph(run.detail());
  assert.deepEqual(edgeList(g, ["sequence"]), [`${a}->${d1} sequence`, `${d1}->${d2} sequence`, `${d2}->${d3} sequence`]);
  assert.deepEqual(edgeList(g, ["tool_call"]), [`${d1}->${t} tool_call`]);
});

test("a handoff is a node between two agent boxes, with an edge to the target agent", () => {
  // root ─┬─ triage ─ d1 ─ handoff to billing
  //       └─ billing ─ d2
  const run = new RunBuilder();
  const root = run.step("chain", "Agent workflow");
  const triage = run.agent("triage", { parent: root });
  const d1 = run.decision({ parent: triage });
  const h = run.handoffStep("billing", { parent: triage, chosenBy: d1 });
  const billing = run.agent("billing", { parent: root });
  run.handoff(h, billing);
  const d2 = run.decision({ parent: billing });
  const g = buildDecisionGraph(run.detail());

  assert.equal(node(g, h).kind, "handoff");
  assert.equal(node(g, h).ariaLabel, "handoff to billing");
  assert.deepEqual(edgeList(g, ["handoff", "tool_call"]), [`${d1}->${h} tool_call`, `${h}->${billing} handoff`]);
  assert.equal(groupOf(g, h), "triage");
  assert.equal(groupOf(g, d2), "billing");
  assert.equal(groupOf(g, billing), "billing");
  assert.equal(g.indexOf.has(root), false, "a plain chain is structure, not a node");
});

test("chain and other steps: structure unless an edge ends on them or they name another agent", () => {
  const run = new RunBuilder();
  const a = run.agent("triage");
  const turn = run.step("chain", "turn", { parent: a, agentName: "triage" });
  const d1 = run.decision({ parent: turn });
  const planner = run.step("chain", "planner.agent", { parent: a, agentName: "planner" });
  const d2 = run.decision({ parent: planner });
  const linked = run.step("other", "router", { parent: a });
  run.handoff(linked, a);
  const r = run.step("retrieval", "vector search", { parent: a });
  const gr = run.step("guardrail", "pii check", { parent: a });
  const g = buildDecisionGraph(run.detail());

  assert.equal(g.indexOf.has(turn), false);
  assert.equal(groupOf(g, d1), "triage", "a turn chain does not box its decision");
  assert.equal(g.indexOf.has(planner), false);
  assert.equal(groupOf(g, d2), "planner", "an agent-like chain is a box");
  assert.equal(g.groups.find((x) => x.label === "planner")!.parent, 0);
  assert.equal(node(g, linked).kind, "step");
  assert.deepEqual([node(g, r).kind, node(g, gr).kind], ["retrieval", "guardrail"]);
  assert.equal(node(g, r).ariaLabel, "retrieval vector search");
});

test("a sub-agent run by a tool is invoked by that tool, in its own box inside the parent's", () => {
  const run = new RunBuilder();
  const a = run.agent("orchestrator");
  const d1 = run.decision({ parent: a });
  const t = run.tool("delegate_research", { parent: a, chosenBy: d1 });
  const sub = run.agent("researcher", { parent: t });
  const sd = run.decision({ parent: sub, model: "gpt-4o-mini" });
  const d2 = run.decision({ parent: a, consumes: [t] });
  const g = buildDecisionGraph(run.detail());

  assert.deepEqual(edgeList(g, ["invoke"]), [`${t}->${sub} invoke`]);
  assert.deepEqual(edgeList(g, ["sequence"]), [`${a}->${d1} sequence`, `${sub}->${sd} sequence`]);
  assert.equal(groupOf(g, sd), "researcher");
  assert.equal(g.groups[node(g, sd).group]!.parent, node(g, d2).group);
});

test("a sub-agent directly under its parent is invoked by the parent's latest decision", () => {
  const run = new RunBuilder();
  const a = run.agent("planner");
  const d1 = run.decision({ parent: a });
  const sub = run.agent("critic", { parent: a });
  run.decision({ parent: sub });
  const g = buildDecisionGraph(run.detail());
  assert.deepEqual(edgeList(g, ["invoke"]), [`${d1}->${sub} invoke`]);
});

test("no node is left unconnected in a realistic run", () => {
  const g = buildDecisionGraph(agentShapedRun(3000), { nodeBudget: Infinity });
  const touched = new Uint8Array(g.nodes.length);
  for (const e of g.edges) touched[e.from] = touched[e.to] = 1;
  assert.equal(touched.every(Boolean), true);
  const roots = g.nodes.filter((_, i) => g.incomingStart[i] === g.incomingStart[i + 1]);
  assert.deepEqual(
    roots.map((n) => n.label),
    ["orchestrator"],
  );
});

/** An agent whose decisions each chose the named tools (one name per decision), each read by the next. */
function toolLoop(names: string[]) {
  const run = new RunBuilder();
  const a = run.agent("searcher");
  const ids: { d: string; t: string }[] = [];
  let prev: string[] = [];
  for (const name of names) {
    const d = run.decision({ parent: a, consumes: prev });
    const t = run.tool(name, { parent: a, chosenBy: d });
    ids.push({ d, t });
    prev = [t];
  }
  const answer = run.decision({ parent: a, consumes: prev });
  return { run, a, ids, answer };
}

test("three or more identical iterations collapse into one loop node", () => {
  const { run, a, ids, answer } = toolLoop(["plan", "search_web", "search_web", "search_web", "search_web", "search_web"]);
  const detail = run.detail();
  const g = buildDecisionGraph(detail);
  const loopId = `loop:${ids[1]!.d}`;
  const loop = node(g, loopId);
  assert.equal(loop.kind, "loop");
  assert.equal(loop.label, "search_web ×5");
  assert.equal(loop.steps, 10);
  assert.equal(loop.expandId, loopId);
  assert.equal(loop.ariaLabel, "loop search_web ×5, 10 steps, collapsed");
  assert.deepEqual(
    edgeList(g),
    [
      `${a}->${ids[0]!.d} sequence`,
      `${ids[0]!.d}->${ids[0]!.t} tool_call`,
      `${ids[0]!.t}->${loopId} tool_result`,
      `${loopId}->${answer} tool_result`,
    ].sort(),
  );
  assert.equal(g.nodeOfSpan.get(ids[3]!.t), g.indexOf.get(loopId), "steps inside a summary resolve to it");
  assert.equal(g.stats.collapsedLoops, 1);

  const open = buildDecisionGraph(detail, { expanded: new Set([loopId]) });
  assert.equal(open.indexOf.has(loopId), false);
  assert.equal(open.nodes.length, 1 + 12 + 1);
  assert.deepEqual(
    open.regions.map((r) => [r.id, r.label, r.nodes.length]),
    [[loopId, "search_web ×5", 10]],
  );
});

test("two repeats, a changing pattern, or a tool running a sub-agent are not a loop", () => {
  assert.equal(buildDecisionGraph(toolLoop(["search", "search", "fetch", "search"]).run.detail()).stats.collapsedLoops, 0);
  assert.equal(buildDecisionGraph(toolLoop(["a", "b", "a", "b", "a", "b"]).run.detail()).stats.collapsedLoops, 0);
  const { run, ids } = toolLoop(["delegate", "delegate", "delegate"]);
  for (const { t } of ids) run.decision({ parent: run.agent("researcher", { parent: t }) });
  assert.equal(buildDecisionGraph(run.detail()).stats.collapsedLoops, 0);
});

test("drift points ring their node, and summaries add theirs up", () => {
  const { run, ids } = toolLoop(["fetch", "search", "search", "search"]);
  run.driftAt(ids[0]!.t, "low");
  run.driftAt(ids[0]!.t, "medium");
  run.driftAt(ids[2]!.d, "low");
  run.driftAt(ids[3]!.t, "critical");
  const g = buildDecisionGraph(run.detail());
  assert.deepEqual([node(g, ids[0]!.t).drift, node(g, ids[0]!.t).driftSeverity], [2, "medium"]);
  assert.equal(node(g, ids[0]!.t).ariaLabel, "tool fetch, 2 drift points");
  const loop = node(g, `loop:${ids[1]!.d}`);
  assert.deepEqual([loop.drift, loop.driftSeverity], [2, "critical"]);
  assert.equal(node(g, ids[0]!.d).driftSeverity, null);
});

test("failed steps mark their node and any summary holding them", () => {
  const run = new RunBuilder();
  const a = run.agent("a");
  const d = run.decision({ parent: a });
  const t = run.tool("deploy", { parent: a, chosenBy: d, error: true });
  const g = buildDecisionGraph(run.detail());
  assert.equal(node(g, t).error, true);
  assert.equal(node(g, t).ariaLabel, "tool deploy, failed");
  assert.equal(node(g, d).error, false);
});

/** An orchestrator calling `count` researcher sub-agents of `turns` decisions each. */
function delegating(count: number, turns: number) {
  const run = new RunBuilder();
  const a = run.agent("orchestrator");
  const subs: string[] = [];
  let prev: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = run.decision({ parent: a, consumes: prev });
    const t = run.tool(`delegate_${i % 2}`, { parent: a, chosenBy: d });
    const sub = run.agent("researcher", { parent: t });
    subs.push(sub);
    for (let k = 0; k < turns; k++) run.decision({ parent: sub });
    prev = [t];
  }
  return { detail: run.detail(), subs };
}

test("over the node budget, sub-agents become summary nodes that can be opened", () => {
  const { detail, subs } = delegating(30, 10); // 1 + 30 * (2 + 11) = 391 nodes
  assert.equal(buildDecisionGraph(detail).nodes.length, 391);
  const g = buildDecisionGraph(detail, { nodeBudget: 120 });
  assert.ok(g.nodes.length <= 120, `${g.nodes.length} nodes`);
  const summaries = g.nodes.filter((n) => n.kind === "group");
  assert.ok(summaries.length > 0);
  const first = summaries[0]!;
  assert.equal(first.label, "researcher");
  assert.equal(first.detail, "11 steps");
  assert.match(first.ariaLabel, /^collapsed agent researcher, 11 steps/);
  assert.ok(
    g.edges.some((e) => g.nodes[e.to] === first && e.kind === "invoke"),
    "the summary keeps its invoke edge",
  );

  const open = buildDecisionGraph(detail, { nodeBudget: 120, expanded: new Set([first.id]) });
  assert.equal(open.indexOf.has(first.id), false);
  const box = open.groups.find((x) => x.id === first.id)!;
  assert.equal(box.userExpanded, true);
  assert.equal(open.nodes.filter((n) => open.groups[n.group] === box).length, 11);
  assert.ok(subs.includes(box.spanId));
});

test("an agent too long for the budget is cut into segments whose ids survive loop toggles", () => {
  // 400 iterations of (decision -> tool), tool names cycling so no loop forms, then a loop at the end.
  const names = Array.from({ length: 400 }, (_, i) => `tool_${i % 7}`).concat(["poll", "poll", "poll", "poll"]);
  const { run, ids } = toolLoop(names);
  const detail = run.detail();
  const g = buildDecisionGraph(detail, { nodeBudget: 300 });
  assert.ok(g.nodes.length <= 300, `${g.nodes.length} nodes`);
  const segments = g.nodes.filter((n) => n.kind === "segment");
  assert.equal(g.stats.segments, segments.length);
  assert.ok(segments.length >= 2);
  assert.match(segments[0]!.label, /^decisions 1–\d+$/);
  assert.match(segments[0]!.ariaLabel, /^collapsed decisions 1–\d+ of searcher, \d+ steps$/);

  const loopId = `loop:${ids[400]!.d}`;
  const withLoopOpen = buildDecisionGraph(detail, { nodeBudget: 300, expanded: new Set([loopId]) });
  assert.deepEqual(
    withLoopOpen.nodes.filter((n) => n.kind === "segment").map((n) => n.id),
    segments.map((n) => n.id),
  );
  const open = buildDecisionGraph(detail, { nodeBudget: 300, expanded: new Set([segments[1]!.id]) });
  const region = open.regions.find((r) => r.id === segments[1]!.id)!;
  assert.equal(region.kind, "segment");
  assert.equal(region.nodes.length, segments[1]!.steps);
});

test("causalAncestors follows edges backwards and leaves out what came later", () => {
  const run = new RunBuilder();
  const a = run.agent("a");
  const d1 = run.decision({ parent: a });
  const [t1, t2] = run.parallel(() => [run.tool("x", { parent: a, chosenBy: d1 }), run.tool("y", { parent: a, chosenBy: d1 })]);
  const d2 = run.decision({ parent: a, consumes: [t1!] });
  const d3 = run.decision({ parent: a, consumes: [t2!] });
  const g = buildDecisionGraph(run.detail());
  const path = causalAncestors(g, d2);
  assert.deepEqual([...path.nodes].sort(), [a, d1, d2, t1].sort());
  assert.deepEqual([...path.edges].sort(), [`${a}->${d1}`, `${d1}->${t1}`, `${t1}->${d2}`].sort());
  assert.equal(causalAncestors(g, d3).nodes.has(t2!), true);
  assert.equal(causalAncestors(g, "nope").nodes.size, 0);
});

test("causalAncestors walks a 100,000-step chain without recursion", () => {
  const run = new RunBuilder();
  let prev: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    const d = run.decision({ consumes: prev });
    prev = [run.tool(i % 2 ? "read" : "write", { chosenBy: d })];
  }
  const g = buildDecisionGraph(run.detail(), { nodeBudget: Infinity });
  assert.equal(g.nodes.length, 100_000);
  const path = causalAncestors(g, g.nodes.at(-1)!.id);
  assert.equal(path.nodes.size, 100_000);
  assert.equal(path.edges.size, 99_999);
});

test("hostile data: a parent cycle and steps out of time order still build", () => {
  const run = new RunBuilder();
  const x = run.agent("x", { parent: "y-agent" });
  run.agent("y", { id: "y-agent", parent: x });
  const d = run.decision({ parent: x });
  const detail = run.detail();
  detail.steps.reverse();
  const g = buildDecisionGraph(detail);
  assert.equal(g.nodes.length, 3);
  assert.equal(groupOf(g, d), "x");
});

test("the same input builds the same graph", () => {
  const detail = agentShapedRun(800);
  const a = buildDecisionGraph(detail);
  const b = buildDecisionGraph(structuredClone(detail));
  assert.deepEqual(
    a.nodes.map((n) => n.id),
    b.nodes.map((n) => n.id),
  );
  assert.deepEqual(edgeList(a), edgeList(b));
});
