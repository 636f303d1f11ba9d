import assert from "node:assert/strict";
import { test } from "node:test";
import type { DriftFinding } from "@/lib/drift/types";
import { createLogger } from "@/lib/log";
import type { EnforcementCommand } from "@/lib/policy/evaluate";
import { runtimePolicy, type RuntimePolicyInput } from "@/lib/policy/schema";
import type { RaisedDrift } from "@/collector/drift/stage";
import { createPolicyEnforcer, enforce, type EnforcerDeps } from "@/collector/policy/enforce";

const run = { projectId: "p1", runId: "4bf92f3577b34da6a3ce929d0e0e4736" };
const loop: DriftFinding = {
  spanId: "00f067aa0ba902b7",
  detector: "loop",
  severity: "medium",
  score: 1,
  summary: "search_web called 3× …",
  evidence: { rule: "repeat", spanIds: [] },
};
const event = (partial: Partial<RaisedDrift> = {}): RaisedDrift => ({
  run,
  serviceName: "support-bot",
  live: true,
  findings: [loop],
  ...partial,
});

function deps(agents: Record<string, RuntimePolicyInput> | null, live = true) {
  const issued: EnforcementCommand[] = [];
  const d: EnforcerDeps = {
    policies: async () =>
      agents ? Object.fromEntries(Object.entries(agents).map(([k, v]) => [k, runtimePolicy.parse(v)])) : null,
    runIsLive: async () => live,
    issue: async (_run, cmd) => {
      issued.push(cmd);
      return { kind: "applied", replayed: false };
    },
    log: createLogger("test", "error"),
  };
  return { d, issued };
}

const pauseLoops: Record<string, RuntimePolicyInput> = {
  "support-bot": { actions: [{ detector: "loop", minSeverity: "medium", action: "pause" }] },
};

test("a live run whose agent's policy says pause is paused, with the policy as the actor", async () => {
  const { d, issued } = deps(pauseLoops);
  await enforce(d, event());
  assert.equal(issued.length, 1);
  assert.equal(issued[0]!.action, "pause");
  assert.equal(issued[0]!.actor.label, 'policy "support-bot" (loop ≥ medium)');
});

test("nothing is sent for ended runs, record rules, other agents or no policy", async () => {
  for (const [agents, e, live] of [
    [pauseLoops, event({ live: false }), true],
    [pauseLoops, event(), false], // ended between the evaluation and the command
    [{ "support-bot": { actions: [{ minSeverity: "low", action: "record" }] } }, event(), true],
    [pauseLoops, event({ serviceName: "billing-bot" }), true],
    [pauseLoops, event({ findings: [{ ...loop, detector: "budget" }] }), true],
    [null, event(), true],
  ] as [Record<string, RuntimePolicyInput> | null, RaisedDrift, boolean][]) {
    const { d, issued } = deps(agents, live);
    await enforce(d, e);
    assert.deepEqual(issued, []);
  }
});

test("the fallback `*` policy acts for agents without their own", async () => {
  const { d, issued } = deps({ "*": { actions: [{ action: "kill", minSeverity: "medium" }] } });
  await enforce(d, event({ serviceName: "billing-bot" }));
  assert.equal(issued[0]?.action, "kill");
  assert.equal(issued[0]?.actor.id, "*");
});

test("onRaised never throws; failures are counted and logged, and close waits for commands in flight", async () => {
  const lines: string[] = [];
  let counted = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { d } = deps(pauseLoops);
  const enforcer = createPolicyEnforcer({
    ...d,
    log: createLogger("test", "warn", (l) => lines.push(l)),
    metrics: { inc: () => void counted++, set: () => {}, observe: () => {}, render: () => "" } as never,
    issue: async () => {
      await gate;
      throw new Error("database down");
    },
  });
  enforcer.onRaised(event());
  let closed = false;
  const closing = enforcer.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(closed, false);
  release();
  await closing;
  assert.equal(counted, 1);
  assert.match(lines.join("\n"), /policy enforcement failed.*database down/);
});
