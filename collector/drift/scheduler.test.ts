import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "@/lib/log";
import type { RunRef } from "@/lib/live/channels";
import { DriftScheduler, type SchedulerOptions } from "@/collector/drift/scheduler";

const run = (id: string): RunRef => ({ projectId: "p", runId: id });

function harness(o: Partial<SchedulerOptions> & { evalMs?: number } = {}) {
  const calls: { id: string; at: number }[] = [];
  const batches: string[][] = [];
  const warnings: string[] = [];
  let active = 0;
  let maxActive = 0;
  const t0 = Date.now();
  const scheduler = new DriftScheduler({
    debounceMs: 100,
    concurrency: 2,
    batchSize: 1,
    maxPending: 100,
    log: createLogger("test", "warn", (line) => warnings.push(line)),
    async evaluate(runs) {
      batches.push(runs.map((r) => r.runId));
      for (const r of runs) calls.push({ id: r.runId, at: Date.now() - t0 });
      maxActive = Math.max(maxActive, ++active);
      await sleep(o.evalMs ?? 5);
      active--;
    },
    ...o,
  });
  return { scheduler, calls, batches, warnings, maxActive: () => maxActive };
}

test("a run's first change is evaluated at once; a burst of changes after it, once more after the debounce", async () => {
  const { scheduler, calls } = harness();
  scheduler.schedule([run("a")]);
  await sleep(20);
  assert.equal(calls.length, 1);
  assert.ok(calls[0]!.at < 50, `first evaluation after ${calls[0]!.at} ms`);
  for (let i = 0; i < 20; i++) {
    scheduler.schedule([run("a")]);
    await sleep(1);
  }
  await sleep(250);
  assert.equal(calls.length, 2, "20 changes, one evaluation");
  assert.ok(calls[1]!.at - calls[0]!.at >= 95, "not before the debounce");
  await scheduler.close();
});

test("a change during an evaluation brings exactly one more", async () => {
  const { scheduler, calls } = harness({ evalMs: 50, debounceMs: 0 });
  scheduler.schedule([run("a")]);
  await sleep(10);
  scheduler.schedule([run("a")]);
  scheduler.schedule([run("a")]);
  await sleep(400);
  // The second evaluation starts once the first ends and waits at least 4× its duration.
  assert.equal(calls.length, 2);
  assert.ok(calls[1]!.at >= 50 + 4 * 50 - 5, `second at ${calls[1]!.at} ms`);
  await scheduler.close();
});

test("at most `concurrency` evaluations at once; every run is evaluated", async () => {
  const { scheduler, calls, maxActive } = harness({ evalMs: 20 });
  scheduler.schedule(Array.from({ length: 10 }, (_, i) => run(`r${i}`)));
  await sleep(300);
  assert.equal(maxActive(), 2);
  assert.deepEqual(calls.map((c) => c.id).sort(), Array.from({ length: 10 }, (_, i) => `r${i}`).sort());
  await scheduler.close();
});

test("runs due together are evaluated together, up to batchSize a call, one call per slot of concurrency", async () => {
  const { scheduler, batches, maxActive } = harness({ batchSize: 4, evalMs: 30 });
  scheduler.schedule(Array.from({ length: 10 }, (_, i) => run(`r${i}`)));
  await sleep(10);
  assert.deepEqual(batches, [
    ["r0", "r1", "r2", "r3"],
    ["r4", "r5", "r6", "r7"],
  ]);
  scheduler.schedule([run("r0"), run("x")]); // r0 is being evaluated: once more after it
  await sleep(60);
  assert.deepEqual(batches[2], ["r8", "r9", "x"], "the rest, with a run that came meanwhile");
  await sleep(300);
  assert.deepEqual(batches.slice(3), [["r0"]], "the run changed during its evaluation, after its debounce");
  assert.equal(maxActive(), 2);
  await scheduler.close();
});

test("each run is charged its own cost when the call names it, else the whole call's time", async () => {
  const { scheduler, calls } = harness({
    batchSize: 2,
    debounceMs: 0,
    async evaluate(runs) {
      for (const r of runs) calls.push({ id: r.runId, at: Date.now() - t0 });
      await sleep(40);
      return new Map([["p/cheap", 1]]);
    },
  });
  const t0 = Date.now();
  scheduler.schedule([run("cheap"), run("dear")]);
  await sleep(10);
  scheduler.schedule([run("cheap"), run("dear")]);
  await sleep(300);
  const again = (id: string) => calls.filter((c) => c.id === id)[1]?.at ?? Infinity;
  assert.ok(again("cheap") < 40 + 40, `cheap again at ${again("cheap")} ms: right after the call`);
  assert.ok(again("dear") >= 40 + 4 * 40 - 5, `dear again at ${again("dear")} ms: 4× the call's time later`);
  await scheduler.close();
});

test("beyond maxPending waiting runs, changes are dropped and counted, with one warning", async () => {
  let dropped = 0;
  const { scheduler, warnings } = harness({ maxPending: 3, concurrency: 1, evalMs: 30, onDropped: (n) => (dropped += n) });
  scheduler.schedule(Array.from({ length: 10 }, (_, i) => run(`r${i}`)));
  // r0..r2 wait (r0 then starts), r3..r9 are dropped.
  assert.equal(dropped, 7);
  assert.equal(warnings.filter((w) => w.includes("overloaded")).length, 1);
  await scheduler.close();
});

test("a failing evaluation is logged and counted, never thrown; the run is evaluated again on its next change", async () => {
  let failures = 0;
  let attempts = 0;
  const { scheduler, warnings } = harness({
    debounceMs: 0,
    onFailed: () => failures++,
    async evaluate() {
      if (++attempts === 1) throw new Error("connection reset");
    },
  });
  scheduler.schedule([run("a")]);
  await sleep(20);
  scheduler.schedule([run("a")]);
  await sleep(50);
  assert.equal(attempts, 2);
  assert.equal(failures, 1);
  assert.match(warnings.join("\n"), /drift evaluation failed.*connection reset/);
  await scheduler.close();
});

test("close waits for evaluations in flight and schedules nothing after", async () => {
  const { scheduler, calls } = harness({ evalMs: 50 });
  scheduler.schedule([run("a"), run("b"), run("c")]);
  await sleep(5);
  const started = Date.now();
  await scheduler.close();
  assert.ok(Date.now() - started >= 30, "waited for the evaluations in flight");
  scheduler.schedule([run("d")]);
  await sleep(20);
  assert.deepEqual(calls.map((c) => c.id).sort(), ["a", "b"]);
});
