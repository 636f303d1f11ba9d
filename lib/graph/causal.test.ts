import assert from "node:assert/strict";
import { test } from "node:test";
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
