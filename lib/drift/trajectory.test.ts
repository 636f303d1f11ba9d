import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDriftConfig } from "@/lib/drift/config";
import { RunBuilder } from "@/lib/drift/test-steps";
import { detectTrajectory, fullDistance, prefixDistance } from "@/lib/drift/trajectory";
import type { BaselineRun } from "@/lib/drift/types";

const config = parseDriftConfig().trajectory;
const USUAL = ["lookup_order", "check_refund_policy", "issue_refund", "send_reply"];
const ALSO_USUAL = ["lookup_order", "check_refund_policy", "send_reply"];

function baseline(n: number): BaselineRun[] {
  return Array.from({ length: n }, (_, i) => ({
    runId: `b${i}`,
    totalTokens: 2000,
    steps: 9,
    tools: i % 3 ? USUAL : ALSO_USUAL,
  }));
}

function agentRun(tools: string[]) {
  const run = new RunBuilder();
  tools.forEach((t, i) => run.turn(t, { i }, { result: i }));
  return run;
}

test("a run off the usual path: reported at its first never-seen transition", () => {
  const run = agentRun(["lookup_order", "read_private_notes", "export_customer_data", "send_email"]);
  const [finding, ...rest] = detectTrajectory({ runId: "r", live: false, steps: run.steps, baseline: baseline(12) }, config);
  assert.equal(rest.length, 0);
  assert.equal(finding!.spanId, run.nth("tool", 1).spanId);
  assert.equal(finding!.evidence.rule, "new_transition");
  assert.deepEqual(finding!.evidence.transition, ["lookup_order", "read_private_notes"]);
  assert.equal(finding!.evidence.distance, 0.75);
  assert.equal(finding!.severity, "high");
  assert.match(
    finding!.summary,
    /^tool sequence 75% different from the nearest of 2 usual paths; never-seen transition lookup_order → read_private_notes at step 5$/,
  );
});

test("must not fire: a usual path, a small variation, or a live run halfway along a usual path", () => {
  const input = (tools: string[], live = false) => ({ runId: "r", live, steps: agentRun(tools).steps, baseline: baseline(12) });
  assert.deepEqual(detectTrajectory(input(USUAL), config), []);
  assert.deepEqual(
    detectTrajectory(input(["lookup_order", "check_refund_policy", "check_refund_policy", "issue_refund", "send_reply"]), config),
    [],
  );
  assert.deepEqual(detectTrajectory(input(["lookup_order", "check_refund_policy", "issue_refund"], true), config), []);
  assert.equal(detectTrajectory(input(["lookup_order", "check_refund_policy", "issue_refund"].reverse()), config).length, 1);
});

test("a known path in the wrong order, with no new transition, is reported where it departs", () => {
  const b = [
    ...Array.from({ length: 10 }, (_, i) => ({
      runId: `a${i}`,
      totalTokens: 1,
      steps: 1,
      tools: ["a", "b", "c", "a", "b", "c"],
    })),
  ];
  const run = agentRun(["a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c"]);
  const [finding] = detectTrajectory({ runId: "r", live: false, steps: run.steps, baseline: b }, config);
  assert.equal(finding!.evidence.rule, "departure");
  assert.equal(finding!.spanId, run.nth("tool", 6).spanId);
});

test("silent until enough baseline runs exist, and for runs with too few tool calls", () => {
  const off = agentRun(["export_customer_data", "send_email", "delete_logs"]);
  assert.deepEqual(detectTrajectory({ runId: "r", live: false, steps: off.steps, baseline: baseline(9) }, config), []);
  assert.deepEqual(
    detectTrajectory({ runId: "r", live: false, steps: agentRun(["x", "y"]).steps, baseline: baseline(12) }, config),
    [],
  );
});

test("edit distances", () => {
  assert.equal(fullDistance(["a", "b", "c"], ["a", "b", "c"]), 0);
  assert.equal(fullDistance(["a", "x", "c"], ["a", "b", "c"]), 1 / 3);
  assert.equal(fullDistance(["a"], ["a", "b", "c", "d"]), 3 / 4);
  assert.equal(fullDistance([], []), 0);
  assert.equal(prefixDistance(["a", "b"], ["a", "b", "c", "d"]), 0);
  assert.equal(prefixDistance(["a", "x"], ["a", "b", "c", "d"]), 0.5);
});
