import assert from "node:assert/strict";
import { test } from "node:test";
import { findDrift, replayOrder } from "@/lib/runs/replay";
import { buildStep as step } from "@/test/helpers/steps";

test("replay walks decisions and tools in causal order and skips structural spans", () => {
  const order = replayOrder({
    steps: [
      step("root", null, 0, 1000, { kind: "agent" }),
      step("wrap", "root", 1, 999, { kind: "chain" }),
      step("d1", "wrap", 10, 100, { kind: "llm" }),
      step("t1", "wrap", 110, 200, { kind: "tool" }),
      step("d2", "wrap", 210, 300, { kind: "llm" }),
    ],
    edges: [
      { from: "d1", to: "t1", kind: "tool_call", via: "c1" },
      { from: "t1", to: "d2", kind: "tool_result", via: "c1" },
    ],
  });
  assert.deepEqual(order, ["root", "d1", "t1", "d2"]);
});

test("causal edges win over skewed clocks", () => {
  // The tool ran in another process whose clock is 50 ms behind: it "starts" before its decision.
  const order = replayOrder({
    steps: [
      step("t1", null, 5, 20, { kind: "tool" }),
      step("d1", null, 10, 30, { kind: "llm" }),
      step("d2", null, 40, 50, { kind: "llm" }),
    ],
    edges: [
      { from: "d1", to: "t1", kind: "tool_call", via: null },
      { from: "t1", to: "d2", kind: "tool_result", via: null },
    ],
  });
  assert.deepEqual(order, ["d1", "t1", "d2"]);
});

test("a failed structural span stays on the path, and a link cycle hides nothing", () => {
  const order = replayOrder({
    steps: [
      step("a", null, 0, 1, { kind: "llm" }),
      step("b", null, 2, 3, { kind: "tool" }),
      step("x", null, 4, 5, { status: "error" }),
    ],
    edges: [
      { from: "a", to: "b", kind: "tool_call", via: null },
      { from: "b", to: "a", kind: "tool_result", via: null },
    ],
  });
  assert.deepEqual(order.sort(), ["a", "b", "x"]);
});

test("100,000 sequential steps are ordered without recursion", () => {
  const n = 100_000;
  const steps = Array.from({ length: n }, (_, i) => step(`s${i}`, null, i, i + 1, { kind: i % 2 ? "tool" : "llm" }));
  const edges = steps.slice(1).map((s, i) => ({ from: steps[i]!.spanId, to: s.spanId, kind: "tool_call" as const, via: null }));
  const order = replayOrder({ steps: steps.reverse(), edges });
  assert.equal(order.length, n);
  assert.equal(order[0], "s0");
  assert.equal(order[n - 1], `s${n - 1}`);
});

test("jumping between drift points", () => {
  const order = ["a", "b", "c", "d", "e"];
  const drifted = new Set(["b", "d"]);
  assert.equal(findDrift(order, drifted, 0, 1), 1);
  assert.equal(findDrift(order, drifted, 1, 1), 3);
  assert.equal(findDrift(order, drifted, 3, 1), -1);
  assert.equal(findDrift(order, drifted, 4, -1), 3);
  assert.equal(findDrift(order, drifted, -1, 1), 1);
});
