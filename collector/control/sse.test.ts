import assert from "node:assert/strict";
import { test } from "node:test";
import { SseParser } from "@/lib/agent/sse";
import { formatSseEvent, SSE_HEARTBEAT } from "@/collector/control/sse";

test("what the collector writes, the agent client reads back (heartbeats are invisible)", () => {
  const state = { runId: "a".repeat(32), desired: "killed", version: 3, reason: 'line\nbreak "quoted"', actor: "ann" };
  const wire = SSE_HEARTBEAT + formatSseEvent({ id: "3", event: "state", data: JSON.stringify(state) }) + SSE_HEARTBEAT;
  const events = new SseParser().push(wire);
  assert.deepEqual(events, [{ type: "state", data: JSON.stringify(state), lastEventId: "3" }]);
  assert.deepEqual(JSON.parse(events[0]!.data), state);
  assert.throws(() => formatSseEvent({ data: "two\nlines" }), /single lines/);
});
