import assert from "node:assert/strict";
import { test } from "node:test";
import { connectControl, type ConnectControlOptions } from "@/lib/agent/client";
import { ControlUnavailableError, isRunKilled, RunKilledError } from "@/lib/agent/errors";
import { FakeChannel } from "@/lib/agent/fake-channel.test-helper";

const RUN = "4bf92f3577b34da6a3ce929d0e0e4736";
const fast = { baseMs: 5, maxMs: 20 };
const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}
function connect(ch: FakeChannel, extra: Partial<ConnectControlOptions> = {}) {
  return connectControl({ endpoint: "http://causeway.test", apiKey: "k", runId: RUN, fetch: ch.fetch, backoff: fast, ...extra });
}

test("running: checkpoint resolves at once; pause holds it until resume; acks say received and applied", async () => {
  const ch = new FakeChannel(RUN);
  const c = await connect(ch);
  assert.deepEqual(c.state, { desired: "running", version: 0, reason: "", actor: "" });
  await c.checkpoint();
  await until(() => c.connected, "stream");
  ch.set("paused", "look at it");
  await until(() => c.state.desired === "paused", "paused");
  let passed = false;
  const held = c.checkpoint().then(() => (passed = true));
  await tick(30);
  assert.equal(passed, false, "checkpoint waits while paused");
  ch.set("running");
  await held;
  assert.equal(c.state.version, 2);
  await until(() => ch.acks.length >= 3, "acks");
  assert.deepEqual(ch.acks, [
    { version: 1, applied: false },
    { version: 1, applied: true },
    { version: 2, applied: true },
  ]);
  await c.close();
});

test("kill: the signal aborts with RunKilledError, checkpoint throws, and nothing brings the run back", async () => {
  const ch = new FakeChannel(RUN);
  const c = await connect(ch);
  await until(() => c.connected, "stream");
  const changes: string[] = [];
  c.onChange((s) => changes.push(`${s.desired}@${s.version}`));
  ch.set("killed", "looping on search", "ann@example.com");
  await until(() => c.signal.aborted, "signal");
  assert.ok(c.signal.reason instanceof RunKilledError);
  assert.match((c.signal.reason as Error).message, /killed by ann@example\.com: looping on search/);
  await assert.rejects(
    c.checkpoint(),
    (e: Error) => e instanceof RunKilledError && isRunKilled(new Error("wrapped", { cause: e })),
  );
  ch.set("running");
  await tick(30);
  assert.equal(c.state.desired, "killed", "a kill is final on the client");
  assert.deepEqual(changes, ["killed@1"]);
  await until(() => ch.acks.some((a) => a.applied && a.version === 1), "applied ack");
  await c.close();
});

test("a paused checkpoint also ends with RunKilledError when a kill follows", async () => {
  const ch = new FakeChannel(RUN);
  ch.set("paused");
  const c = await connect(ch);
  assert.equal(c.state.desired, "paused", "the first state comes with registration");
  const held = c.checkpoint();
  await tick(20);
  ch.set("killed", "enough");
  await assert.rejects(held, RunKilledError);
  await c.close();
});

test("duplicates and replays of older versions change nothing", async () => {
  const ch = new FakeChannel(RUN);
  const c = await connect(ch);
  await until(() => c.connected, "stream");
  ch.set("paused");
  const old = ch.state;
  ch.set("running");
  await until(() => c.state.version === 2, "v2");
  ch.replay(old);
  ch.replay(ch.state);
  await tick(20);
  assert.deepEqual(c.state, { desired: "running", version: 2, reason: "", actor: "op@example.com" });
  await c.checkpoint();
  await c.close();
});

test("a dropped stream falls back to long-poll, reconnects with Last-Event-ID, and misses nothing", async () => {
  const ch = new FakeChannel(RUN);
  const c = await connect(ch);
  await until(() => c.connected, "stream");
  ch.streamRefused = true;
  ch.dropStreams();
  await until(() => ch.calls.some((x) => x.verb === "poll"), "a poll");
  ch.set("paused", "while the stream was down");
  await until(() => c.state.desired === "paused", "paused through the poll");
  ch.streamRefused = false;
  await until(() => c.connected, "stream back");
  const reconnect = ch.calls.filter((x) => x.verb === "stream").at(-1)!;
  assert.equal(reconnect.lastEventId, "1");
  ch.set("running");
  await until(() => c.state.version === 2, "v2 over the stream");
  await c.close();
});

test("fail-open: unreachable, connectControl resolves after its timeout and checkpoints pass", async () => {
  const ch = new FakeChannel(RUN);
  ch.down = true;
  const errors: Error[] = [];
  const started = Date.now();
  const c = await connect(ch, { connectTimeoutMs: 100, onError: (e) => errors.push(e) });
  assert.ok(Date.now() - started < 1000);
  await c.checkpoint();
  assert.ok(errors.length > 0, "the problem is reported");
  ch.down = false;
  await until(() => c.connected, "reconnected");
  ch.set("killed", "x");
  await until(() => c.signal.aborted, "kill after reconnect");
  await c.close();
});

test("fail-closed: unreachable for longer than afterMs, checkpoint waits (or throws) until Causeway is back", async () => {
  const ch = new FakeChannel(RUN);
  const c = await connect(ch, { failClosed: { afterMs: 100 }, onError: () => {} });
  await until(() => c.connected, "stream");
  ch.down = true;
  ch.dropStreams();
  await tick(500);
  let passed = false;
  const held = c.checkpoint().then(() => (passed = true));
  await tick(50);
  assert.equal(passed, false, "checkpoint waits while unreachable");
  ch.down = false;
  await held;
  await c.close();

  const ch2 = new FakeChannel(RUN);
  ch2.down = true;
  const c2 = await connect(ch2, { failClosed: { afterMs: 100, action: "throw" }, connectTimeoutMs: 10, onError: () => {} });
  await tick(500);
  await assert.rejects(c2.checkpoint(), ControlUnavailableError);
  await c2.close();
});

test("closing releases a paused checkpoint and stops all traffic", async () => {
  const ch = new FakeChannel(RUN);
  ch.set("paused");
  const c = await connect(ch);
  const held = c.checkpoint();
  await c.close();
  await held;
  const n = ch.calls.length;
  await tick(50);
  assert.equal(ch.calls.length, n);
  assert.equal(ch.openStreams, 0);
});

test("a bad run id is refused at once", async () => {
  await assert.rejects(connect(new FakeChannel(RUN), { runId: "nope" }), TypeError);
});
