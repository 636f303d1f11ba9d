import assert from "node:assert/strict";
import { test } from "node:test";
import { demoPlan, ONCE_MIGRATION_MS, parseDuration } from "@/demo/plan";
import { DemoSetupError } from "@/demo/target";

test("the plan runs every agent, several times, with sessions of more than one run and one slow lane", () => {
  const lanes = demoPlan({ once: false, durationMs: 180_000 });
  const agents = new Set(lanes.flatMap((l) => l.runs.map((r) => r.agent)));
  assert.deepEqual([...agents].sort(), ["billing-assistant", "data-migration", "deal-finder", "research-lead", "support-bot"]);
  assert.ok(
    lanes.some((l) => l.sessionId && l.runs.length > 1),
    "a session with several runs",
  );
  assert.equal(
    new Set(lanes.map((l) => l.sessionId).filter(Boolean)).size,
    lanes.filter((l) => l.sessionId).length,
    "distinct sessions",
  );
  assert.deepEqual(
    lanes.filter((l) => l.slow).map((l) => l.runs.map((r) => r.what)),
    [["migrates a table batch by batch for ~180 s"]],
  );
  const once = demoPlan({ once: true, durationMs: 180_000 }).find((l) => l.slow)!;
  assert.match(once.runs[0]!.what, new RegExp(`~${ONCE_MIGRATION_MS / 1000} s`));
});

test("durations: seconds by default, or with ms / s / m", () => {
  assert.equal(parseDuration("90"), 90_000);
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("1500ms"), 1_500);
  assert.equal(parseDuration("2.5m"), 150_000);
  assert.throws(() => parseDuration("soon"), DemoSetupError);
});
