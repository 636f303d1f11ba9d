import assert from "node:assert/strict";
import { test } from "node:test";
import { sortSteps, stepOrder, type OrderableStep } from "@/lib/runs/step-order";

/** A span: id, parent, start and end in ticks (end null: not ended yet). */
const span = (spanId: string, parentSpanId: string | null, start: number, end: number | null): OrderableStep => ({
  spanId,
  parentSpanId,
  startNs: BigInt(start),
  endNs: end === null ? null : BigInt(end),
});
const ids = (steps: OrderableStep[]) => sortSteps(steps).map((s) => s.spanId);

test("a parent and its first child started in one tick: the parent first, whatever their span ids", () => {
  // f-agent    [0 ───────── 100]
  //  └ 0-llm   [0 ─── 40]
  //  └ 5-tool        [40 ── 60]
  const steps = [span("f-agent", null, 0, 100), span("0-llm", "f-agent", 0, 40), span("5-tool", "f-agent", 40, 60)];
  assert.deepEqual(ids(steps), ["f-agent", "0-llm", "5-tool"]);
  assert.deepEqual(ids([...steps].reverse()), ["f-agent", "0-llm", "5-tool"]);
});

test("ancestry wins over length: a child ending with its parent, or after it, still comes after it", () => {
  // b-agent [0 ── 50]          (ends with its child)
  //  └ a-llm [0 ── 50]
  // d-agent [0 ── 30]          (its async child outlives it)
  //  └ c-tool [0 ──── 80]
  const steps = [
    span("a-llm", "b-agent", 0, 50),
    span("b-agent", null, 0, 50),
    span("c-tool", "d-agent", 0, 80),
    span("d-agent", null, 0, 30),
  ];
  const order = ids(steps);
  assert.ok(order.indexOf("b-agent") < order.indexOf("a-llm"), order.join(" "));
  assert.ok(order.indexOf("d-agent") < order.indexOf("c-tool"), order.join(" "));
});

test("ancestors through a step with another start still come first (clock skew between processes)", () => {
  // z-root   t=0
  //  └ m-remote  t=5 (another host's clock)
  //     └ a-leaf t=0
  const steps = [span("a-leaf", "m-remote", 0, 10), span("m-remote", "z-root", 5, 9), span("z-root", null, 0, 10)];
  assert.deepEqual(ids(steps), ["z-root", "a-leaf", "m-remote"]);
});

test("unrelated steps started in one tick: the longer first, a step not ended yet longest, then span id", () => {
  const steps = [
    span("a", null, 0, 10),
    span("b", null, 0, 30),
    span("c", null, 0, null),
    span("d", null, 0, 30),
    span("e", null, -1, 1),
  ];
  assert.deepEqual(ids(steps), ["e", "c", "b", "d", "a"]);
});

test("ancestry only constrains: a longer unrelated step may go between a parent and its child", () => {
  // p [0 ── 5]  └ q [0 ──── 10]      u [0 ─── 7]
  const steps = [span("p", null, 0, 5), span("q", "p", 0, 10), span("u", null, 0, 7)];
  assert.deepEqual(ids(steps), ["u", "p", "q"]);
});

test("a missing parent and a parent cycle (broken data) neither hang nor lose steps", () => {
  const steps = [span("x", "gone", 0, 1), span("p", "q", 0, 1), span("q", "p", 0, 1), span("s", "s", 0, 1)];
  assert.deepEqual([...stepOrder(steps)].sort(), [0, 1, 2, 3]);
  assert.deepEqual(stepOrder([]), []);
});

test(
  "100,000 steps nested in one chain, all started in one tick: root to leaf, without walking parents per step",
  { timeout: 20_000 },
  () => {
    const n = 100_000;
    // Span ids sort leaf first; every span ends when the run does, so only ancestry can order them.
    const id = (i: number) => `s${String(n - i).padStart(6, "0")}`;
    const steps = Array.from({ length: n }, (_, i) => span(id(i), i === 0 ? null : id(i - 1), 0, 1));
    const order = stepOrder(steps);
    assert.ok(order.every((at, k) => at === k));
  },
);

test("100,000 steps with a millisecond clock: sorted by start, and no step before its parent", { timeout: 20_000 }, () => {
  let seed = 7; // mulberry32: a fixed, well-mixed sequence
  const random = () => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const steps: OrderableStep[] = [span("root", null, 0, 1_000_000)];
  for (let i = 1; i < 100_000; i++) {
    const parent = steps[Math.floor(random() * steps.length)]!;
    const start = Number(parent.startNs) + (random() < 0.5 ? 0 : Math.floor(random() * 3) * 1_000_000); // same tick half the time
    steps.push(
      span(
        `${Math.floor(random() * 2 ** 32).toString(16)}-${i}`,
        parent.spanId,
        start,
        start + Math.floor(random() * 5) * 1_000_000,
      ),
    );
  }
  const sorted = sortSteps(steps);
  const at = new Map(sorted.map((s, k) => [s.spanId, k]));
  for (let k = 1; k < sorted.length; k++) assert.ok(sorted[k - 1]!.startNs <= sorted[k]!.startNs);
  for (const s of sorted) {
    const parent = s.parentSpanId === null ? null : sorted[at.get(s.parentSpanId)!]!;
    if (parent?.startNs === s.startNs)
      assert.ok(at.get(parent.spanId)! < at.get(s.spanId)!, `${parent.spanId} after ${s.spanId}`);
  }
});
