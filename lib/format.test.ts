import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAgo, formatCount, formatDuration } from "@/lib/format";

test("durations read naturally at every scale", () => {
  assert.deepEqual([null, 12, 1234, 45_600, 125_000, 7_500_000].map(formatDuration), [
    "—",
    "12 ms",
    "1.23 s",
    "45.6 s",
    "2m 5s",
    "2h 5m",
  ]);
});

test("counts abbreviate past a thousand", () => {
  assert.deepEqual([999, 1234, 45_678, 2_500_000].map(formatCount), ["999", "1.2k", "46k", "2.5M"]);
});

test("relative times are computed against the given clock", () => {
  const now = Date.parse("2026-11-21T12:00:00Z");
  assert.equal(formatAgo("2026-11-21T11:59:58Z", now), "just now");
  assert.equal(formatAgo("2026-11-21T11:57:00Z", now), "3 min ago");
  assert.equal(formatAgo("2026-11-19T12:00:00Z", now), "2 d ago");
});
