import assert from "node:assert/strict";
import { test } from "node:test";
import { contextSizeSeries, nearestPoint } from "@/lib/context/size-series";

const point = (spanId: string, agentName: string | null, bytes: number, inputTokens: number | null) => ({
  spanId,
  startNs: "0",
  agentName,
  messageCount: 2,
  bytes,
  inputTokens,
});

test("tokens when every call reported them, one line per agent", () => {
  const s = contextSizeSeries([point("a", "planner", 100, 50), point("b", "writer", 80, 30), point("c", "planner", 300, 140)]);
  assert.equal(s.unit, "tokens");
  assert.deepEqual(
    s.points.map((p) => [p.index, p.value]),
    [
      [0, 50],
      [1, 30],
      [2, 140],
    ],
  );
  assert.deepEqual(
    s.lines.map((l) => [l.agent, l.points.map((p) => p.spanId)]),
    [
      ["planner", ["a", "c"]],
      ["writer", ["b"]],
    ],
  );
  assert.equal(s.max, 140);
});

test("bytes when any call lacks tokens; nearest point clamps to the ends", () => {
  const s = contextSizeSeries([point("a", null, 100, 50), point("b", null, 180, null)]);
  assert.equal(s.unit, "bytes");
  assert.deepEqual(
    s.points.map((p) => p.value),
    [100, 180],
  );
  assert.equal(nearestPoint(s, -3)?.spanId, "a");
  assert.equal(nearestPoint(s, 0.6)?.spanId, "b");
  assert.equal(nearestPoint(s, 9)?.spanId, "b");
  assert.equal(nearestPoint(contextSizeSeries([]), 0), null);
  assert.equal(contextSizeSeries([]).unit, "bytes");
});
