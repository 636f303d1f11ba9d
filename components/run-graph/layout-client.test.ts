import assert from "node:assert/strict";
import { test } from "node:test";
import type { GraphLayout, LayoutInput } from "@/lib/graph/layout";
import {
  createLayoutClient,
  type LayoutRequest,
  type LayoutResponse,
  type LayoutWorker,
} from "@/components/run-graph/layout-client";

/** A worker that holds requests until the test answers them. */
class FakeWorker implements LayoutWorker {
  onmessage: ((event: { data: LayoutResponse }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  received: LayoutRequest[] = [];
  terminated = false;
  postMessage(message: LayoutRequest) {
    this.received.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  answer(id: number, layout: GraphLayout) {
    this.onmessage?.({ data: { id, layout } });
  }
}

const input = (tag: number) => ({ nodeGroup: Int32Array.from([tag]) }) as unknown as LayoutInput;
const layoutFor = (tag: number) => ({ width: tag }) as unknown as GraphLayout;
const mainThread = (i: LayoutInput) => layoutFor(1000 + i.nodeGroup[0]!);

function setup() {
  const workers: FakeWorker[] = [];
  const client = createLayoutClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, mainThread);
  return { client, workers };
}

test("a request is answered with the worker's layout", async () => {
  const { client, workers } = setup();
  const pending = client.request(input(1));
  const [w] = workers;
  assert.equal(w!.received.length, 1);
  w!.answer(w!.received[0]!.id, layoutFor(1));
  assert.deepEqual(await pending, layoutFor(1));
});

test("a newer request cancels the busy one: null for the old, a fresh worker, late answers ignored", async () => {
  const { client, workers } = setup();
  const first = client.request(input(1));
  const second = client.request(input(2));
  assert.equal(await first, null);
  assert.equal(workers.length, 2);
  assert.equal(workers[0]!.terminated, true);
  workers[0]!.answer(workers[0]!.received[0]!.id, layoutFor(1)); // too late, from the dead worker
  workers[1]!.answer(workers[1]!.received[0]!.id - 1, layoutFor(9)); // an id that is not current
  workers[1]!.answer(workers[1]!.received[0]!.id, layoutFor(2));
  assert.deepEqual(await second, layoutFor(2));

  // An idle worker is reused.
  const third = client.request(input(3));
  assert.equal(workers.length, 2);
  workers[1]!.answer(workers[1]!.received[1]!.id, layoutFor(3));
  assert.deepEqual(await third, layoutFor(3));
});

test("without a worker the layout runs on the main thread", async () => {
  const client = createLayoutClient(() => {
    throw new Error("Worker is not defined");
  }, mainThread);
  assert.deepEqual(await client.request(input(5)), layoutFor(1005));
});

test("a failing worker falls back to the main thread, for this and later requests", async () => {
  const { client, workers } = setup();
  const pending = client.request(input(1));
  workers[0]!.onerror?.(new Error("script failed to load"));
  assert.deepEqual(await pending, layoutFor(1001));
  assert.deepEqual(await client.request(input(2)), layoutFor(1002));
  assert.equal(workers.length, 1);

  const other = setup();
  const answered = other.client.request(input(3));
  other.workers[0]!.onmessage?.({ data: { id: other.workers[0]!.received[0]!.id, error: "boom" } });
  assert.deepEqual(await answered, layoutFor(1003));
});

test("dispose answers the pending request with null and stops the worker", async () => {
  const { client, workers } = setup();
  const pending = client.request(input(1));
  client.dispose();
  assert.equal(await pending, null);
  assert.equal(workers[0]!.terminated, true);
});
