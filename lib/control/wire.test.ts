import assert from "node:assert/strict";
import { test } from "node:test";
import { ackBody, parseChannelPath, pollQuery, registerBody } from "@/lib/control/wire";

test("channel paths name a run and a verb, nothing else", () => {
  const run = "4bf92f3577b34da6a3ce929d0e0e4736";
  assert.deepEqual(parseChannelPath(`/v1/control/runs/${run}/stream`), { runId: run, verb: "stream" });
  assert.deepEqual(parseChannelPath(`/v1/control/runs/${run}/ack`), { runId: run, verb: "ack" });
  for (const bad of [`/v1/control/runs/${run}`, `/v1/control/runs/${run}/kill`, `/v1/control/runs/${run}/ack/x`, "/v1/traces"])
    assert.equal(parseChannelPath(bad), null, bad);
});

test("agents can acknowledge, never set a desired state; poll parameters are bounded", () => {
  assert.deepEqual(ackBody.parse({ version: 2, applied: true, spanId: "00f067aa0ba902b7" }), {
    version: 2,
    applied: true,
    spanId: "00f067aa0ba902b7",
  });
  assert.equal(ackBody.safeParse({ version: 2, applied: true, desired: "running" }).success, false);
  assert.equal(registerBody.safeParse({ serviceName: "bot", desired: "running" }).success, false);
  assert.deepEqual(pollQuery.parse({}), { after: 0, timeout: 25 });
  assert.equal(pollQuery.safeParse({ after: "3", timeout: "600" }).success, false);
});
