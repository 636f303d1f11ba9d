import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay } from "@/lib/agent/backoff";

test("backoff doubles up to the cap, with jitter between half and the whole nominal delay", () => {
  const opts = { baseMs: 100, maxMs: 5000 };
  assert.deepEqual(
    [0, 1, 2, 3, 10, 50, 5000].map((a) => backoffDelay(a, opts, () => 0)),
    [50, 100, 200, 400, 2500, 2500, 2500],
  );
  assert.deepEqual(
    [0, 1, 2, 10].map((a) => backoffDelay(a, opts, () => 1)),
    [100, 200, 400, 5000],
  );
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(3, opts);
    assert.ok(d >= 400 && d <= 800, String(d));
  }
});
