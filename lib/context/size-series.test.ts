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

test("thinning for the chart's width keeps each column's peak and dip, in order, and the ends", async () => {
  const { thinForColumns } = await import("@/lib/context/size-series");
  const values = Array.from({ length: 50_000 }, (_, i) => (i === 31_337 ? 1_000_000 : i === 12_345 ? -5 : i % 97));
  const s = contextSizeSeries(values.map((v, i) => point(`s${i}`, null, v, v)));
  const thin = thinForColumns(s.points, 600, [0, 49_999]);
  assert.ok(thin.length <= 2 * 600 + 2, `${thin.length} points`);
  assert.equal(thin[0]!.index, 0);
  assert.equal(thin.at(-1)!.index, 49_999);
  assert.ok(
    thin.some((p) => p.value === 1_000_000),
    "the spike survives",
  );
  assert.ok(
    thin.some((p) => p.value === -5),
    "the dip survives",
  );
  for (let i = 1; i < thin.length; i++) assert.ok(thin[i]!.index > thin[i - 1]!.index, "in call order");
  // Per column, the extremes of the original points in that column.
  const col = (idx: number) => Math.min(599, Math.floor(idx / (49_999 / 600)));
  const inCol = s.points.filter((p) => col(p.index) === col(31_337));
  assert.equal(Math.max(...inCol.map((p) => p.value)), 1_000_000);
  const small = contextSizeSeries([point("a", null, 1, 1), point("b", null, 2, 2)]).points;
  assert.deepEqual(thinForColumns(small, 600, [0, 1]), small, "few points: all kept");
});
