import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  actionFor,
  agentTransition,
  CONTROL_ACTIONS,
  CONTROL_DESIRED,
  effectiveControl,
  mostRestrictive,
  normalizeRunId,
  normalizeSpanId,
  reasonProblem,
  runTransition,
  type ControlDesired,
  type ControlSide,
} from "@/lib/control/state";

const side = (desired: ControlDesired, version: number, reason = "", actorLabel = ""): ControlSide => ({
  desired,
  version,
  reason,
  actorLabel,
});

test("a run pauses and resumes back and forth, and a kill is final", () => {
  assert.deepEqual(runTransition("running", "pause"), { kind: "change", desired: "paused" });
  assert.deepEqual(runTransition("paused", "resume"), { kind: "change", desired: "running" });
  assert.deepEqual(runTransition("paused", "kill"), { kind: "change", desired: "killed" });
  assert.deepEqual(runTransition("running", "kill"), { kind: "change", desired: "killed" });
  assert.equal(runTransition("killed", "resume").kind, "refused");
  assert.equal(runTransition("killed", "pause").kind, "refused");
  assert.match((runTransition("killed", "resume") as { message: string }).message, /cannot be undone/);
});

test("a command that asks for the current state changes nothing", () => {
  assert.deepEqual(runTransition("paused", "pause"), { kind: "unchanged", desired: "paused" });
  assert.deepEqual(runTransition("running", "resume"), { kind: "unchanged", desired: "running" });
  assert.deepEqual(runTransition("killed", "kill"), { kind: "unchanged", desired: "killed" });
  assert.deepEqual(agentTransition("killed", "kill"), { kind: "unchanged", desired: "killed" });
});

test("an agent kill can be lifted by a resume (for new runs) but not turned into a pause", () => {
  assert.deepEqual(agentTransition("running", "kill"), { kind: "change", desired: "killed" });
  assert.deepEqual(agentTransition("killed", "resume"), { kind: "change", desired: "running" });
  assert.equal(agentTransition("killed", "pause").kind, "refused");
  assert.deepEqual(agentTransition("paused", "kill"), { kind: "change", desired: "killed" });
});

test("the effective state is the most restrictive side, at the sum of both versions", () => {
  assert.deepEqual(effectiveControl(null, null), { desired: "running", version: 0, reason: "", actor: "", source: "none" });
  const e = effectiveControl(side("paused", 1, "look", "ann"), side("killed", 2, "rogue", "bob"));
  assert.deepEqual(e, { desired: "killed", version: 3, reason: "rogue", actor: "bob", source: "agent" });
  const r = effectiveControl(side("killed", 3, "loop", "ann"), side("paused", 1, "maint", "bob"));
  assert.deepEqual(r, { desired: "killed", version: 4, reason: "loop", actor: "ann", source: "run" });
  assert.equal(effectiveControl(null, side("paused", 1)).source, "agent");
  assert.equal(effectiveControl(side("paused", 1), side("paused", 1)).source, "run");
  assert.equal(effectiveControl(side("running", 2), side("running", 2)).source, "run");
});

test("whatever happens on either side, the effective version only grows and a kill sticks", () => {
  const step = fc.record({ onAgent: fc.boolean(), action: fc.constantFrom(...CONTROL_ACTIONS) });
  fc.assert(
    fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
      let run = side("running", 0);
      let agent = side("running", 0);
      let last = effectiveControl(run, agent);
      let runKilled = false;
      for (const s of steps) {
        const t = s.onAgent ? agentTransition(agent.desired, s.action) : runTransition(run.desired, s.action);
        if (t.kind !== "change") continue;
        if (s.onAgent) {
          agent = side(t.desired, agent.version + 1);
          if (s.action === "kill" && run.desired !== "killed") run = side("killed", run.version + 1);
        } else run = side(t.desired, run.version + 1);
        const now = effectiveControl(run, agent);
        assert.ok(now.version > last.version, "every change raises the effective version");
        if (runKilled) assert.equal(now.desired, "killed", "a killed run stays killed");
        runKilled ||= run.desired === "killed";
        last = now;
      }
    }),
  );
});

test("mostRestrictive orders killed > paused > running", () => {
  for (const a of CONTROL_DESIRED)
    for (const b of CONTROL_DESIRED) assert.equal(mostRestrictive(a, b), mostRestrictive(b, a), `${a} ${b}`);
  assert.equal(mostRestrictive("running", "paused"), "paused");
  assert.equal(mostRestrictive("killed", "paused"), "killed");
  assert.deepEqual(CONTROL_DESIRED.map(actionFor), ["resume", "pause", "kill"]);
});

test("a kill needs a reason; other commands may go without", () => {
  assert.match(reasonProblem("kill", "  ") ?? "", /needs a reason/);
  assert.match(reasonProblem("kill", undefined) ?? "", /needs a reason/);
  assert.equal(reasonProblem("kill", "looping"), null);
  assert.equal(reasonProblem("pause", undefined), null);
  assert.match(reasonProblem("pause", "x".repeat(1001)) ?? "", /longer than/);
});

test("run and span ids are normalized or refused", () => {
  assert.equal(normalizeRunId("4BF92F3577B34DA6A3CE929D0E0E4736"), "4bf92f3577b34da6a3ce929d0e0e4736");
  assert.equal(normalizeRunId("0".repeat(32)), null);
  assert.equal(normalizeRunId("xyz"), null);
  assert.equal(normalizeSpanId("00F067AA0BA902B7"), "00f067aa0ba902b7");
  assert.equal(normalizeSpanId("0".repeat(16)), null);
  assert.equal(normalizeSpanId(undefined), null);
});
