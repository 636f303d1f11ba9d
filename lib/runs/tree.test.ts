import assert from "node:assert/strict";
import { test } from "node:test";
import { waterfallOrder } from "@/lib/runs/tree";

const s = (spanId: string, parentSpanId: string | null, start: number) => ({ spanId, parentSpanId, startNs: String(start) });

test("depth-first by parent, siblings by start time", () => {
  // root
  //  ├─ b (t=3)
  //  │   └─ b1
  //  └─ a (t=2)   -> listed before b
  const order = waterfallOrder([s("b1", "b", 4), s("root", null, 1), s("b", "root", 3), s("a", "root", 2)]);
  assert.deepEqual(
    order.map((o) => `${o.step.spanId}@${o.depth}`),
    ["root@0", "a@1", "b@1", "b1@2"],
  );
});

test("orphans become roots; steps in a parent cycle are still shown, once", () => {
  const order = waterfallOrder([s("x", "missing", 1), s("p", "q", 2), s("q", "p", 3)]);
  assert.deepEqual(
    order.map((o) => `${o.step.spanId}@${o.depth}`),
    ["x@0", "p@0", "q@1"],
  );
});

test("20,000 nested levels do not overflow", () => {
  const steps = Array.from({ length: 20_000 }, (_, i) => s(`s${i}`, i ? `s${i - 1}` : null, i));
  const order = waterfallOrder(steps);
  assert.equal(order.at(-1)!.depth, 19_999);
});
