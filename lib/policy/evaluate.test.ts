import assert from "node:assert/strict";
import { test } from "node:test";
import type { DriftFinding } from "@/lib/drift/types";
import { decide, enforcementCommand, resolvePolicy, ruleFor } from "@/lib/policy/evaluate";
import { runtimePolicy, type RuntimePolicyInput } from "@/lib/policy/schema";

const RUN = "4bf92f3577b34da6a3ce929d0e0e4736";
const policy = (p: RuntimePolicyInput) => runtimePolicy.parse(p);
const finding = (partial: Partial<DriftFinding>): DriftFinding => ({
  spanId: "00f067aa0ba902b7",
  detector: "loop",
  severity: "medium",
  score: 1,
  summary: "search_web called 3× with {q: 'refund policy'} at steps 4–8, same result each time",
  evidence: { rule: "repeat", spanIds: [] },
  ...partial,
});

test("a rule matches its detector (or any, `*`) at or above its severity", () => {
  const p = policy({ actions: [{ detector: "loop", minSeverity: "high", action: "pause" }] });
  assert.equal(ruleFor(p, finding({ severity: "medium" })), null, "below the threshold");
  assert.equal(ruleFor(p, finding({ severity: "high" }))?.action, "pause");
  assert.equal(ruleFor(p, finding({ severity: "critical" }))?.action, "pause");
  assert.equal(ruleFor(p, finding({ detector: "budget", severity: "critical" })), null, "another detector");
  const any = policy({ actions: [{ action: "kill" }] });
  assert.deepEqual(ruleFor(any, finding({ detector: "new_egress", severity: "high" })), {
    detector: "*",
    minSeverity: "high",
    action: "kill",
  });
  assert.equal(ruleFor(policy({}), finding({ severity: "critical" })), null, "no rules: record only");
});

test("the strongest matching action wins; on a tie the rule naming the detector", () => {
  const p = policy({
    actions: [
      { detector: "*", minSeverity: "low", action: "record" },
      { detector: "*", minSeverity: "medium", action: "pause" },
      { detector: "loop", minSeverity: "medium", action: "pause" },
      { detector: "loop", minSeverity: "critical", action: "kill" },
    ],
  });
  assert.deepEqual(ruleFor(p, finding({ severity: "low" })), { detector: "*", minSeverity: "low", action: "record" });
  assert.deepEqual(ruleFor(p, finding({ severity: "high" })), { detector: "loop", minSeverity: "medium", action: "pause" });
  assert.equal(ruleFor(p, finding({ severity: "critical" }))?.action, "kill");
  assert.equal(ruleFor(p, finding({ detector: "budget", severity: "high" }))?.detector, "*");
});

test("findings raised together give one decision: the strongest action, then the most severe finding", () => {
  const p = policy({
    actions: [
      { detector: "loop", minSeverity: "medium", action: "pause" },
      { detector: "policy", minSeverity: "critical", action: "kill" },
    ],
  });
  const loop = finding({ spanId: "a".repeat(16), severity: "high" });
  const loop2 = finding({ spanId: "b".repeat(16), severity: "critical" });
  const sequence = finding({ spanId: "c".repeat(16), detector: "policy", severity: "critical", summary: "exfiltration" });
  assert.equal(decide(p, []), null);
  assert.equal(decide(p, [finding({ severity: "low" })]), null);
  assert.equal(decide(p, [loop, loop2])?.finding, loop2);
  const d = decide(p, [loop, sequence, loop2])!;
  assert.equal(d.action, "kill");
  assert.equal(d.finding, sequence);
});

test("the command names the policy and the finding, gives the summary as the reason and a stable key", () => {
  const p = policy({ actions: [{ detector: "loop", minSeverity: "medium", action: "pause" }] });
  const f = finding({ severity: "high" });
  const cmd = enforcementCommand(RUN, "support-bot", decide(p, [f])!);
  assert.deepEqual(cmd, {
    action: "pause",
    reason: f.summary,
    requestId: `policy:${RUN}:00f067aa0ba902b7:loop:pause`,
    actor: { type: "policy", id: "support-bot", label: 'policy "support-bot" (loop ≥ medium)' },
  });
  // The same drift point evaluated again (grown, more severe) maps to the same key: no second command.
  const again = enforcementCommand(RUN, "support-bot", decide(p, [finding({ severity: "critical", summary: "5×" })])!);
  assert.equal(again?.requestId, cmd?.requestId);
  // Escalating to a stronger action is a new command.
  const kill = policy({ actions: [...p.actions, { detector: "loop", minSeverity: "critical", action: "kill" }] });
  assert.equal(
    enforcementCommand(RUN, "support-bot", decide(kill, [finding({ severity: "critical" })])!)?.requestId,
    `policy:${RUN}:00f067aa0ba902b7:loop:kill`,
  );
  const record = policy({ actions: [{ action: "record", minSeverity: "low" }] });
  assert.equal(enforcementCommand(RUN, "support-bot", decide(record, [f])!), null, "record sends nothing");
  const long = enforcementCommand(RUN, "*", decide(p, [finding({ summary: "x".repeat(5000) })])!);
  assert.equal(long?.reason.length, 1000);
  assert.equal(long?.actor.label, 'policy "*" (loop ≥ medium)');
});

test("an agent's own policy replaces the fallback `*` entry", () => {
  const own = policy({ allowTools: ["a"] });
  const fallback = policy({ denyTools: ["shell"] });
  assert.deepEqual(resolvePolicy({ "support-bot": own, "*": fallback }, "support-bot"), { name: "support-bot", policy: own });
  assert.deepEqual(resolvePolicy({ "support-bot": own, "*": fallback }, "billing-bot"), { name: "*", policy: fallback });
  assert.deepEqual(resolvePolicy({ "*": fallback }, null), { name: "*", policy: fallback });
  assert.equal(resolvePolicy({ "support-bot": own }, "billing-bot"), null);
  assert.equal(resolvePolicy(null, "support-bot"), null);
});
