import assert from "node:assert/strict";
import { test } from "node:test";
import { formatControlNotice, parseControlNotice, type ControlNotice } from "@/lib/control/channel";

test("control notices round-trip for runs and agents", () => {
  const notices: ControlNotice[] = [
    { projectId: "p1", runId: "a".repeat(32), what: "state", version: 3 },
    { projectId: "p1", agentId: "0b6f8c1e-1111-4c3a-9d7e-000000000001", what: "state", version: 7 },
    { projectId: "p", runId: "r", what: "presence" },
    { projectId: "p", runId: "r", what: "delivery", version: 2 },
  ];
  for (const n of notices) assert.deepEqual(parseControlNotice(formatControlNotice(n)), n);
  assert.ok(formatControlNotice(notices[0]!).length < 100, "small payloads");
});

test("malformed control notices yield null; an unknown kind counts as a state change", () => {
  for (const bad of ["", "x", "[]", "null", '{"r":"x"}', '{"p":"p"}', '{"p":1,"r":"x"}', '{"p":"p","r":""}'])
    assert.equal(parseControlNotice(bad), null, bad);
  assert.deepEqual(parseControlNotice('{"p":"p","r":"x","v":"3","w":"future"}'), { projectId: "p", runId: "x", what: "state" });
});

test("a run notice may carry the new state; one too large for Postgres goes without it", () => {
  const state = { desired: "killed" as const, version: 4, reason: "loop", actor: "ann", source: "run" as const };
  const n: ControlNotice = { projectId: "p", runId: "r", what: "state", version: 4, state };
  assert.deepEqual(parseControlNotice(formatControlNotice(n)), n);
  const huge = { ...n, state: { ...state, reason: "\u0001".repeat(1500) } };
  assert.deepEqual(parseControlNotice(formatControlNotice(huge)), { projectId: "p", runId: "r", what: "state", version: 4 });
  assert.equal(parseControlNotice('{"p":"p","r":"r","s":{"desired":"gone","version":1}}')?.state, undefined);
});
