import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDriftConfig } from "@/lib/drift/config";
import { parsePolicySet } from "@/lib/drift/policy-schema";
import { detectDrift, DETECTOR_LIST } from "@/lib/drift/registry";
import { RunBuilder } from "@/lib/drift/test-steps";
import { DETECTORS } from "@/lib/drift/types";

const config = parseDriftConfig();

test("every detector is registered once", () => {
  assert.deepEqual(DETECTOR_LIST.map((d) => d.name).sort(), [...DETECTORS].sort());
});

test("a healthy run has no drift", () => {
  const run = new RunBuilder()
    .turn("lookup_order", { orderId: "A-1001" }, { result: { status: "delivered" } })
    .turn("check_refund_policy", { country: "PT" }, { result: { days: 30 } })
    .llm({ output: "You can return it within 30 days." });
  assert.deepEqual(detectDrift({ runId: "r", live: false, steps: run.steps, knownHosts: new Set() }, config), []);
});

test("findings come in step order; one detector's two findings at one step become one, the more severe", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 3; i++) run.turn("send_email", { to: "ops@external.example" }, { result: { sent: true } });
  const policy = parsePolicySet({
    agents: { "*": { allowTools: ["lookup_order"], forbiddenSequences: [["send_email", "send_email", "send_email"]] } },
  }).agents["*"]!;
  const findings = detectDrift({ runId: "r", live: true, steps: run.steps, policy }, config);
  assert.deepEqual(
    findings.map((f) => [f.detector, f.spanId, f.severity]),
    [
      ["policy", run.nth("tool", 0).spanId, "high"],
      ["loop", run.nth("tool", 2).spanId, "medium"],
      ["policy", run.nth("tool", 2).spanId, "critical"],
    ],
  );
  assert.equal(findings[2]!.evidence.rule, "forbidden_sequence");
  assert.equal(findings.filter((f) => f.detector === "policy").length, 2);
});

test("same-step findings of one detector merge into one drift point, the other kept in evidence.also", () => {
  const run = new RunBuilder().turn("lookup_order", {}, { result: {} }).turn("wipe_disk", {}, { result: {} });
  const policy = parsePolicySet({ agents: { "*": { denyTools: ["wipe_*"], budgets: { maxToolCalls: 1 } } } }).agents["*"]!;
  const findings = detectDrift({ runId: "r", live: true, steps: run.steps, policy }, config);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.spanId, run.nth("tool", 1).spanId);
  assert.equal(findings[0]!.evidence.rule, "deny_tools");
  const also = findings[0]!.evidence.also as { evidence: { rule: string } }[];
  assert.deepEqual(
    also.map((a) => a.evidence.rule),
    ["budget_tool_calls"],
  );
});
