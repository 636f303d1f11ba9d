import assert from "node:assert/strict";
import { test } from "node:test";
import type { ControlEventView, RunControlState } from "@/lib/api/control-schemas";
import {
  agentButtons,
  commandStages,
  commandStatus,
  controlMarks,
  controlMayChange,
  elapsed,
  latestCommand,
  runButtons,
  waitingFor,
} from "@/components/control/control-view";

const T0 = "2026-01-01T10:00:00.000Z";
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function event(p: Partial<ControlEventView> & Pick<ControlEventView, "action" | "version">): ControlEventView {
  return {
    id: String(p.version),
    scope: "run",
    runId: "a".repeat(32),
    agentId: null,
    desired: p.action === "kill" ? "killed" : p.action === "pause" ? "paused" : "running",
    actor: { type: "user", label: "Ada (ada@example.com)" },
    reason: "",
    requestId: `r${p.version}`,
    issuedAt: T0,
    deliveredAt: null,
    acknowledgedAt: null,
    appliedAt: null,
    appliedSpanId: null,
    reach: null,
    ...p,
  };
}

function state(p: Partial<RunControlState> = {}): RunControlState {
  return {
    desired: "running",
    version: 0,
    reason: "",
    actor: "",
    source: "none",
    run: { desired: "running", version: 0 },
    agent: null,
    appliedVersion: 0,
    appliedAt: null,
    appliedSpanId: null,
    client: { connected: true, lastSeenAt: T0, registeredAt: T0 },
    ...p,
  };
}

const operator = { canOperate: true, role: "operator" };

test("a command goes requested → delivered → received → applied; an older one never applied is superseded", () => {
  const pause = event({ action: "pause", version: 1 });
  assert.equal(commandStatus(pause, [pause]), "requested");
  const delivered = { ...pause, deliveredAt: at(8) };
  assert.equal(commandStatus(delivered, [delivered]), "delivered");
  const received = { ...delivered, acknowledgedAt: at(10) };
  assert.equal(commandStatus(received, [received]), "received");
  assert.equal(waitingFor("received", "pause", true), "Received: the agent pauses at its next checkpoint.");
  const applied = { ...received, appliedAt: at(900), appliedSpanId: "00f067aa0ba902b7" };
  assert.equal(commandStatus(applied, [applied]), "applied");
  assert.equal(waitingFor("applied", "pause", true), null);
  const resume = event({ action: "resume", version: 2, appliedAt: at(50) });
  assert.equal(commandStatus(pause, [resume, pause]), "superseded");
  assert.deepEqual(
    commandStages(applied).map((s) => [s.key, s.label, s.at]),
    [
      ["requested", "Requested", T0],
      ["delivered", "Delivered, acknowledged", at(8)],
      ["applied", "Applied", at(900)],
    ],
  );
  assert.equal(latestCommand([pause, resume])?.action, "resume");
  assert.equal(latestCommand([]), null);
});

test("elapsed times read as a person would say them", () => {
  assert.equal(elapsed(T0, at(8)), "+8 ms");
  assert.equal(elapsed(T0, at(1234)), "+1.2 s");
  assert.equal(elapsed(T0, at(125_000)), "+125 s");
  assert.equal(elapsed(T0, null), "");
});

test("buttons are off, with the reason, for viewers, killed runs and runs without a connected client", () => {
  const ok = runButtons(state(), operator);
  assert.deepEqual(ok, { toggle: { action: "pause", disabledReason: null }, kill: { action: "kill", disabledReason: null } });

  const viewer = runButtons(state(), { canOperate: false, role: "viewer" });
  assert.match(viewer.kill.disabledReason ?? "", /need the operator role \(you are a viewer\)/);
  assert.match(runButtons(state(), { canOperate: false, role: "admin" }).kill.disabledReason ?? "", /you are an admin/);
  assert.equal(runButtons(state(), { canOperate: null, role: null }).toggle.disabledReason, "Checking your role…");

  const gone = runButtons(state({ client: { connected: false, lastSeenAt: null, registeredAt: null } }), operator);
  assert.match(gone.kill.disabledReason ?? "", /No control client of this run is connected/);
  assert.match(gone.toggle.disabledReason ?? "", /No control client/);

  const killed = runButtons(state({ desired: "killed", run: { desired: "killed", version: 1 }, version: 1 }), operator);
  assert.match(killed.kill.disabledReason ?? "", /cannot be undone/);
});

test("a paused run offers Resume; a run paused through its agent points at the agent", () => {
  const paused = state({ desired: "paused", version: 1, source: "run", run: { desired: "paused", version: 1 } });
  assert.deepEqual(runButtons(paused, operator).toggle, { action: "resume", disabledReason: null });
  const byAgent = state({
    desired: "paused",
    version: 1,
    source: "agent",
    agent: { id: "x", desired: "paused", version: 1 },
  });
  assert.equal(runButtons(byAgent, operator).toggle.action, "pause");
  assert.match(runButtons(byAgent, operator).toggle.disabledReason ?? "", /resume the agent/);
});

test("an agent is paused or resumed; a killed agent is resumed, not killed again", () => {
  assert.equal(agentButtons("running", operator).toggle.action, "pause");
  assert.equal(agentButtons("paused", operator).toggle.action, "resume");
  const killed = agentButtons("killed", operator);
  assert.equal(killed.toggle.action, "resume");
  assert.equal(killed.toggle.disabledReason, null);
  assert.match(killed.kill.disabledReason ?? "", /already|resume it/);
  assert.match(agentButtons("running", { canOperate: false, role: "viewer" }).kill.disabledReason ?? "", /operator role/);
});

test("the timeline marks the steps where commands took effect", () => {
  const span = "00f067aa0ba902b7";
  const history = [
    event({ action: "resume", version: 2, appliedAt: at(300), appliedSpanId: span }),
    event({ action: "pause", version: 1, appliedAt: at(100), appliedSpanId: span }),
  ];
  assert.deepEqual([...controlMarks(state(), history)], [[span, "paused, resumed"]]);
  const kill = event({ action: "kill", version: 3, appliedAt: at(500), appliedSpanId: "1111111111111111" });
  assert.equal(controlMarks(state(), [kill, ...history]).get("1111111111111111"), "killed");
  // The state alone (history capped) still marks the step its latest command took effect at.
  const s = state({ desired: "killed", version: 3, appliedVersion: 3, appliedSpanId: "2222222222222222" });
  assert.equal(controlMarks(s, []).get("2222222222222222"), "killed");
  assert.equal(controlMarks(undefined, []).size, 0);
});

test("a finished run without a client and without a pending command is not polled", () => {
  const gone = state({ client: { connected: false, lastSeenAt: null, registeredAt: null } });
  assert.equal(controlMayChange(gone, "ok"), false);
  assert.equal(controlMayChange(gone, "live"), true);
  assert.equal(controlMayChange(state(), "ok"), true);
  assert.equal(controlMayChange({ ...gone, version: 2, appliedVersion: 1, desired: "paused" }, "ok"), true);
  assert.equal(controlMayChange(undefined, "paused"), true);
});
