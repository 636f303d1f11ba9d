import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTimeBound, resolveTimeBound } from "@/lib/search/time";

test("dates are midnight UTC, times are UTC unless they name an offset", () => {
  assert.deepEqual(parseTimeBound("2026-11-01"), { kind: "date", iso: "2026-11-01T00:00:00.000Z" });
  assert.deepEqual(parseTimeBound("2026-11-01T14:30"), { kind: "date", iso: "2026-11-01T14:30:00.000Z" });
  assert.deepEqual(parseTimeBound("2026-11-01T14:30:15.250Z"), { kind: "date", iso: "2026-11-01T14:30:15.250Z" });
  assert.deepEqual(parseTimeBound("2026-11-01T14:30-0130"), { kind: "date", iso: "2026-11-01T16:00:00.000Z" });
});

test("ages count back from now and stay ages", () => {
  const now = new Date("2026-11-21T12:00:00Z");
  const age = parseTimeBound("7d");
  assert.deepEqual(age, { kind: "age", ms: 7 * 86_400_000, text: "7d" });
  assert.equal(resolveTimeBound(age!, now).toISOString(), "2026-11-14T12:00:00.000Z");
  assert.equal(resolveTimeBound(parseTimeBound("30m")!, now).toISOString(), "2026-11-21T11:30:00.000Z");
  assert.equal(resolveTimeBound(parseTimeBound("2w")!, now).toISOString(), "2026-11-07T12:00:00.000Z");
});

test("what the calendar does not have is not a date", () => {
  for (const v of [
    "2026-02-30",
    "2026-13-01",
    "2026-11-01T24:00",
    "2026-11-01T12:60",
    "0h",
    "99999999d",
    "7",
    "7y",
    "yesterday",
    "",
  ])
    assert.equal(parseTimeBound(v), null, v);
});
