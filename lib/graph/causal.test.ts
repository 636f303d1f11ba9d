import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { buildCausalEdges, type GraphStep } from "@/lib/graph/causal";

let clock = 0n;
function step(p: Partial<GraphStep> & Pick<GraphStep, "spanId" | "kind">): GraphStep {
  clock += 10n;
  return {
    parentSpanId: "root",
    name: p.spanId,
    startNs: clock,
    endNs: clock + 5n,
    toolName: null,
    toolCallId: null,
    agentName: null,
    handoffTo: null,
    decidedCalls: [],
    consumedResultIds: [],
    ...p,
  };
}

test("with tool-call ids: decision -> tool -> the decision that read its result", () => {
  // root
  //  ├─ d1 (llm) decides get_weather#c1
  //  ├─ t1 (tool get_weather, c1)
  //  └─ d2 (llm) sees result c1
  const edges = buildCausalEdges([
    step({ spanId: "d1", kind: "llm", decidedCalls: [{ id: "c1", name: "get_weather" }] }),
    step({ spanId: "t1", kind: "tool", toolName: "get_weather", toolCallId: "c1" }),
    step({ spanId: "d2", kind: "llm", consumedResultIds: ["c1"] }),
  ]);
  assert.deepEqual(edges, [
    { from: "d1", to: "t1", kind: "tool_call", via: "c1" },
    { from: "t1", to: "d2", kind: "tool_result", via: "c1" },
  ]);
});

test("tool spans without ids are matched by name and order, and the decision's ids still find the consumer", () => {
  const edges = buildCausalEdges([
    step({
      spanId: "d1",
      kind: "llm",
      decidedCalls: [
        { id: "a", name: "search" },
        { id: "b", name: "search" },
        { id: "c", name: "fetch" },
      ],
    }),
    step({ spanId: "t1", kind: "tool", toolName: "search" }),
    step({ spanId: "t2", kind: "tool", toolName: "fetch" }),
    step({ spanId: "t3", kind: "tool", toolName: "search" }),
    step({ spanId: "d2", kind: "llm", consumedResultIds: ["a", "c"] }),
    step({ spanId: "d3", kind: "llm", consumedResultIds: ["a", "b", "c"] }),
  ]);
  assert.deepEqual(
    edges.filter((e) => e.kind === "tool_call"),
    [
      { from: "d1", to: "t1", kind: "tool_call", via: "a" },
      { from: "d1", to: "t2", kind: "tool_call", via: "c" },
      { from: "d1", to: "t3", kind: "tool_call", via: "b" },
    ],
  );
  assert.deepEqual(
    edges.filter((e) => e.kind === "tool_result"),
    [
      { from: "t1", to: "d2", kind: "tool_result", via: "a" },
      { from: "t2", to: "d2", kind: "tool_result", via: "c" },
      { from: "t3", to: "d3", kind: "tool_result", via: "b" },
    ],
  );
});

test("a tool is never linked to a decision that ended after it started, nor to a call already used", () => {
  const edges = buildCausalEdges([
    step({ spanId: "d1", kind: "llm", decidedCalls: [{ id: null, name: "search" }] }),
    step({ spanId: "t1", kind: "tool", toolName: "search" }),
    step({ spanId: "t2", kind: "tool", toolName: "search" }), // no call left for it
    step({ spanId: "d2", kind: "llm", decidedCalls: [{ id: null, name: "search" }] }),
  ]);
  assert.deepEqual(
    edges.filter((e) => e.kind === "tool_call").map((e) => [e.from, e.to]),
    [["d1", "t1"]],
  );
  // Without ids, a result feeds the next decision in the same scope.
  assert.deepEqual(
    edges.filter((e) => e.kind === "tool_result").map((e) => [e.from, e.to]),
    [["t1", "d2"]],
  );
});

test("a handoff links to the target agent's next agent step", () => {
  const edges = buildCausalEdges([
    step({ spanId: "triage", kind: "agent", agentName: "triage" }),
    step({ spanId: "h", kind: "agent", agentName: "triage", handoffTo: "billing" }),
    step({ spanId: "billing", kind: "agent", agentName: "billing" }),
  ]);
  assert.deepEqual(edges, [{ from: "h", to: "billing", kind: "handoff", via: "billing" }]);
});

test("a run of 20,000 sequential steps builds without recursion", () => {
  const steps: GraphStep[] = [];
  for (let i = 0; i < 10_000; i++) {
    steps.push(
      step({
        spanId: `d${i}`,
        kind: "llm",
        decidedCalls: [{ id: `c${i}`, name: "poll" }],
        consumedResultIds: i ? [`c${i - 1}`] : [],
      }),
    );
    steps.push(step({ spanId: `t${i}`, kind: "tool", toolName: "poll", toolCallId: `c${i}` }));
  }
  const edges = buildCausalEdges(steps);
  assert.equal(edges.length, 10_000 + 9_999);
});

/**
 * The matching by name and order, written the obvious quadratic way: walk back from the last decision
 * that started before the tool to the nearest one that had ended with an unused call of that name.
 */
function naiveNameMatches(steps: GraphStep[]): Map<string, string> {
  const ordered = [...steps].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const decisions = ordered
    .filter((s) => s.kind === "llm")
    .map((d) => ({ d, calls: d.decidedCalls.map((c) => ({ ...c, used: false })) }));
  const matched = new Map<string, string>();
  for (const tool of ordered.filter((s) => s.kind === "tool")) {
    for (let i = decisions.length - 1; i >= 0; i--) {
      const { d, calls } = decisions[i]!;
      if (d.startNs > tool.startNs || (d.endNs ?? d.startNs) > tool.startNs) continue;
      const call = calls.find((c) => !c.used && c.name === tool.toolName);
      if (call) {
        call.used = true;
        matched.set(tool.spanId, d.spanId);
        break;
      }
    }
  }
  return matched;
}

test("matching by name and order agrees with the obvious walk-back on random runs (tools without ids)", () => {
  const names = ["search", "fetch", "book"];
  const item = fc.oneof(
    fc.record({
      kind: fc.constant("llm" as const),
      calls: fc.array(fc.constantFrom(...names), { maxLength: 3 }),
      duration: fc.integer({ min: 1, max: 40 }),
    }),
    fc.record({ kind: fc.constant("tool" as const), name: fc.constantFrom(...names, "unknown") }),
  );
  fc.assert(
    fc.property(fc.array(item, { maxLength: 60 }), (items) => {
      const steps = items.map((it, i): GraphStep => {
        const startNs = BigInt(i * 10);
        const base = {
          spanId: `s${i}`,
          parentSpanId: "root",
          name: `s${i}`,
          startNs,
          toolCallId: null,
          agentName: null,
          handoffTo: null,
          consumedResultIds: [],
        };
        return it.kind === "llm"
          ? {
              ...base,
              kind: "llm",
              endNs: startNs + BigInt(it.duration),
              toolName: null,
              decidedCalls: it.calls.map((name) => ({ id: null, name })),
            }
          : { ...base, kind: "tool", endNs: startNs + 5n, toolName: it.name, decidedCalls: [] };
      });
      const edges = buildCausalEdges(steps).filter((e) => e.kind === "tool_call");
      assert.deepEqual(new Map(edges.map((e) => [e.to, e.from])), naiveNameMatches(steps));
    }),
    { numRuns: 300 },
  );
});
