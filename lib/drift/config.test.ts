import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseSettings } from "@/lib/config/settings";
import { DEFAULT_DRIFT_CONFIG, parseDriftConfig } from "@/lib/drift/config";
import { DETECTORS } from "@/lib/drift/types";

test("defaults, and overrides merged over them", () => {
  assert.equal(DEFAULT_DRIFT_CONFIG.loop.minRepeats, 3);
  assert.equal(DEFAULT_DRIFT_CONFIG.budget.minBaselineRuns, 20);
  const c = parseDriftConfig({ loop: { minRepeats: 4 }, trajectory: { maxDistance: 0.6 } });
  assert.equal(c.loop.minRepeats, 4);
  assert.equal(c.loop.minAlternation, 6, "untouched values keep their defaults");
  assert.equal(c.trajectory.maxDistance, 0.6);
});

test("a bad override names its path; unknown keys are errors, not silently ignored", () => {
  assert.throws(() => parseDriftConfig({ loop: { minRepeats: 0 } }), /loop\.minRepeats/);
  assert.throws(() => parseDriftConfig({ loop: { minRepeat: 4 } }), /loop: Unrecognized key: "minRepeat"/);
  assert.throws(() => parseDriftConfig({ errorCascade: { maxErrorRate: 2 } }), /errorCascade\.maxErrorRate/);
});

test("the collector's drift settings: detectors by name, thresholds as JSON, errors naming the setting", () => {
  const ok = parseSettings(["CAUSEWAY_DRIFT", "CAUSEWAY_DRIFT_THRESHOLDS"] as const, {
    CAUSEWAY_DRIFT: "loop, policy",
    CAUSEWAY_DRIFT_THRESHOLDS: '{"loop":{"minRepeats":5}}',
  });
  assert.deepEqual(ok.CAUSEWAY_DRIFT, ["loop", "policy"]);
  assert.equal(ok.CAUSEWAY_DRIFT_THRESHOLDS.loop.minRepeats, 5);
  const defaults = parseSettings(["CAUSEWAY_DRIFT", "CAUSEWAY_DRIFT_THRESHOLDS"] as const, {});
  assert.deepEqual(defaults.CAUSEWAY_DRIFT, [...DETECTORS]);
  assert.deepEqual(defaults.CAUSEWAY_DRIFT_THRESHOLDS, DEFAULT_DRIFT_CONFIG);
  assert.deepEqual(parseSettings(["CAUSEWAY_DRIFT"] as const, { CAUSEWAY_DRIFT: "off" }).CAUSEWAY_DRIFT, []);
  assert.throws(
    () => parseSettings(["CAUSEWAY_DRIFT"] as const, { CAUSEWAY_DRIFT: "loop,loops" }),
    (e: Error) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /CAUSEWAY_DRIFT="loop,loops": unknown detector loops/);
      return true;
    },
  );
  assert.throws(
    () => parseSettings(["CAUSEWAY_DRIFT_THRESHOLDS"] as const, { CAUSEWAY_DRIFT_THRESHOLDS: "{loop" }),
    /CAUSEWAY_DRIFT_THRESHOLDS="\{loop": .*JSON/,
  );
});
