import assert from "node:assert/strict";
import { test } from "node:test";
import { detectPolicyViolations } from "@/lib/drift/policy";
import { parsePolicySet, policyFor, type AgentPolicy } from "@/lib/drift/policy-schema";
import { RunBuilder } from "@/lib/drift/test-steps";

const policy = (p: object): AgentPolicy => parsePolicySet({ agents: { "support-bot": p } }).agents["support-bot"]!;
const detect = (run: RunBuilder, p: object) =>
  detectPolicyViolations({ runId: "r", live: true, steps: run.steps, policy: policy(p) });

test("a tool outside the allow-list: one finding per tool, at its first call", () => {
  const run = new RunBuilder()
    .turn("lookup_order", { orderId: "A-1" }, { result: {} })
    .turn("issue_refund", { orderId: "A-1", amount: 80 }, { result: { ok: true } })
    .turn("issue_refund", { orderId: "A-2", amount: 80 }, { result: { ok: true } });
  const [finding, ...rest] = detect(run, { allowTools: ["lookup_*", "send_reply"] });
  assert.equal(rest.length, 0);
  assert.equal(finding!.spanId, run.nth("tool", 1).spanId);
  assert.equal(finding!.severity, "high");
  assert.deepEqual(finding!.evidence, {
    rule: "allow_tools",
    spanIds: [run.nth("tool", 1).spanId, run.nth("tool", 2).spanId],
    steps: [5, 7],
    tool: "issue_refund",
    count: 2,
  });
  assert.equal(finding!.summary, "issue_refund called 2× at step 5: not in the agent's allowed tools");
});

test("denied tools, and no finding for tools the lists allow", () => {
  const run = new RunBuilder().turn("lookup_order", {}, { result: {} }).turn("delete_account", { user: "u1" }, { result: {} });
  assert.deepEqual(
    detect(run, { denyTools: ["delete_*"] }).map((f) => f.evidence.rule),
    ["deny_tools"],
  );
  assert.deepEqual(detect(run, { allowTools: ["*"] }), []);
});

test("a forbidden sequence fires at the step that completes it, even with other steps between", () => {
  const run = new RunBuilder()
    .turn("read_private_notes", { customer: "c-9" }, { result: { notes: "…" } })
    .turn("summarize", { text: "…" }, { result: "…" })
    .turn("send_email", { to: "someone@external.example" }, { result: { sent: true } });
  const [finding] = detect(run, { forbiddenSequences: [{ name: "exfiltration", steps: ["read_private_*", "send_email"] }] });
  assert.equal(finding!.spanId, run.nth("tool", 2).spanId);
  assert.equal(finding!.severity, "critical");
  assert.equal(finding!.summary, 'forbidden sequence "exfiltration": read_private_notes (step 3) → send_email (step 7)');
  assert.deepEqual(finding!.evidence.spanIds, [run.nth("tool", 0).spanId, run.nth("tool", 2).spanId]);
});

test("must not fire: the same tools in the allowed order", () => {
  const run = new RunBuilder().turn("send_email", { to: "a" }, { result: {} }).turn("read_private_notes", {}, { result: {} });
  assert.deepEqual(detect(run, { forbiddenSequences: [["read_private_notes", "send_email"]] }), []);
});

test("hard budgets fire at the step that went over; allowed hosts", () => {
  const run = new RunBuilder();
  for (let i = 0; i < 4; i++) run.llm({ inputTokens: 1000 }).tool("search", { i }, { result: i });
  run.http("https://pastebin.example/api");
  const findings = detect(run, { budgets: { maxToolCalls: 3, maxTokens: 2500 }, allowHosts: ["*.openai.com"] });
  assert.deepEqual(
    findings.map((f) => [f.evidence.rule, f.spanId]),
    [
      ["allow_hosts", run.last.spanId],
      ["budget_tool_calls", run.nth("tool", 3).spanId],
      ["budget_tokens", run.nth("llm", 2).spanId],
    ],
  );
  assert.match(findings[2]!.summary, /^tokens budget exceeded at step 6: 4,080 tokens \(limit 2,500\)$/);
});

test("policy files: validated with paths in errors, `*` for agents without their own", () => {
  const set = parsePolicySet({ agents: { "*": { denyTools: ["shell"] }, "support-bot": { allowTools: ["lookup_order"] } } });
  assert.deepEqual(policyFor(set, "support-bot")?.allowTools, ["lookup_order"]);
  assert.deepEqual(policyFor(set, "other")?.denyTools, ["shell"]);
  assert.equal(policyFor(null, "other"), null);
  assert.throws(() => parsePolicySet({ agents: { x: { allowTool: ["a"] } } }), /agents\.x: Unrecognized key: "allowTool"/);
  assert.throws(
    () => parsePolicySet({ agents: { x: { forbiddenSequences: [["only-one"]] } } }),
    /agents\.x\.forbiddenSequences\.0/,
  );
});
