import assert from "node:assert/strict";
import { test } from "node:test";
import { fitTransform, initialTransform, revealTransform } from "@/components/run-graph/viewport";

const view = { width: 1000, height: 500 };

test("fit centres the whole graph and never enlarges past 1.25×", () => {
  const t = fitTransform({ width: 2000, height: 400 }, view);
  assert.ok(Math.abs(t.k - (1000 - 32) / 2000) < 1e-9);
  assert.ok(Math.abs(t.x - (1000 - 2000 * t.k) / 2) < 1e-9);
  assert.equal(fitTransform({ width: 100, height: 50 }, view).k, 1.25);
});

test("a long run opens at its start at a readable scale; a short one is fitted", () => {
  assert.deepEqual(initialTransform({ width: 800, height: 300 }, view), fitTransform({ width: 800, height: 300 }, view));
  const long = initialTransform({ width: 200_000, height: 300 }, view);
  assert.equal(long.k, 1);
  assert.equal(long.x, 16);
});

test("reveal leaves a visible node alone and centres one off screen", () => {
  const t = { k: 1, x: 0, y: 0 };
  assert.equal(revealTransform({ x: 100, y: 100, width: 168, height: 40 }, t, view), null);
  const moved = revealTransform({ x: 5000, y: 100, width: 168, height: 40 }, t, view)!;
  assert.equal(moved.k, 1);
  assert.equal(moved.x + 5000 + 84, 500);
  assert.equal(moved.y + 100 + 20, 250);
});
