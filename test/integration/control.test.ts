import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { connectControl, RunKilledError, runIdFromActiveSpan, type ControlClient } from "@/lib/agent";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import {
  channel,
  commandRun,
  makeCallers,
  newRunId,
  readStates,
  runControl,
  until,
  webEnvFor,
  type Callers,
} from "@/test/helpers/control";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * Live control end to end: REST commands through the real route handlers, a real
 * collector process serving the agent channel, and the real agent client.
 */
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let callers: Callers;
let keys: Record<string, string>;
const clients: ControlClient[] = [];
const spans = new InMemorySpanExporter();
const tracer = (() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  trace.setGlobalTracerProvider(provider);
  return trace.getTracer("control-test");
})();

before(async () => {
  tdb = await createTestDatabase();
  webEnvFor(tdb.url);
  db = createPrisma(tdb.url, { max: 3 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  ({ callers, keys } = await makeCallers(db, project.id));
  collector = await startCollector(tdb.url, { CAUSEWAY_CONTROL_HEARTBEAT_MS: "300", CAUSEWAY_CONTROL_RECHECK_MS: "1000" });
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await collector?.stop();
  await db.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb.close();
});

async function connect(runId: string, key = keys.agentKey!, extra: { serviceName?: string } = {}) {
  const c = await connectControl({
    endpoint: collector.url,
    apiKey: key,
    runId,
    ...extra,
    backoff: { baseMs: 50, maxMs: 500 },
    onError: () => {},
  });
  clients.push(c);
  await until(() => c.connected, "the control stream");
  return c;
}

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> });

describe("a run controlled from the REST API", () => {
  test("pause holds the agent at its checkpoint, resume lets it continue; the trace and the history show where", async (t) => {
    await tracer.startActiveSpan("agent run", async (root) => {
      const runId = runIdFromActiveSpan();
      const c = await connect(runId);
      assert.equal(c.state.desired, "running");
      const seen = new Promise<number>((resolve) => {
        const off = c.onChange(() => {
          off();
          resolve(performance.now());
        });
      });
      const sent = performance.now();
      const pause = await json(await commandRun(callers, runId, { action: "pause", reason: "checking a tool call" }));
      assert.equal(pause.status, 202, JSON.stringify(pause.body));
      const latency = (await seen) - sent;
      assert.ok(latency < 2000, `seen after ${latency.toFixed(1)} ms`);
      t.diagnostic(`pause seen by the client ${latency.toFixed(1)} ms after the request`);

      let continued = false;
      const step = tracer.startActiveSpan("tool lookup", async (span) => {
        await c.checkpoint();
        continued = true;
        span.end();
        return span.spanContext().spanId;
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(continued, false, "the agent waits while paused");
      const paused = await runControl(callers, runId);
      assert.equal(paused.state.desired, "paused");
      assert.equal(paused.state.client.connected, true);
      await until(async () => (await runControl(callers, runId)).history[0]?.appliedAt != null, "the pause applied");
      const resume = await commandRun(callers, runId, { action: "resume" });
      assert.equal(resume.status, 202);
      const spanId = await step;
      assert.equal(continued, true);
      root.end();

      const after = await runControl(callers, runId);
      assert.equal(after.state.desired, "running");
      assert.equal(after.state.version, 2);
      const [resumed, pausedEvent] = after.history;
      assert.equal(pausedEvent!.action, "pause");
      assert.equal(pausedEvent!.actor.label, "The operator (operator@example.com)");
      assert.equal(pausedEvent!.reason, "checking a tool call");
      assert.ok(pausedEvent!.deliveredAt && pausedEvent!.acknowledgedAt && pausedEvent!.appliedAt);
      assert.equal(pausedEvent!.appliedSpanId, spanId, "the pause took effect at the tool step's checkpoint");
      await until(async () => (await runControl(callers, runId)).state.appliedVersion === 2, "the resume applied");
      assert.equal(resumed!.action, "resume");
      const tool = spans.getFinishedSpans().find((s) => s.name === "tool lookup")!;
      assert.deepEqual(
        tool.events.map((e) => [e.name, e.attributes?.["causeway.control.action"]]),
        [
          ["causeway.control.applied", "pause"],
          ["causeway.control.applied", "resume"],
        ],
      );
      const run = await db.run.findUniqueOrThrow({ where: { projectId_id: { projectId: await projectId(), id: runId } } });
      assert.equal(run.status, "live", "the run registered before its spans exists, and is live again");
    });
  });

  test("kill: the signal fires, checkpoint throws, and a kill cannot be undone", async () => {
    const runId = newRunId();
    const c = await connect(runId);
    const aborted = new Promise<unknown>((resolve) => c.signal.addEventListener("abort", () => resolve(c.signal.reason)));
    const kill = await json(await commandRun(callers, runId, { action: "kill", reason: "looping on the same search" }));
    assert.equal(kill.status, 202);
    const reason = await aborted;
    assert.ok(reason instanceof RunKilledError);
    assert.match(reason.message, /killed by The operator \(operator@example\.com\): looping on the same search/);
    await assert.rejects(c.checkpoint(), RunKilledError);

    const resume = await json(await commandRun(callers, runId, { action: "resume" }));
    assert.equal(resume.status, 409);
    assert.match(String((resume.body.error as { message: string }).message), /cannot be undone/);
    const again = await json(await commandRun(callers, runId, { action: "kill", reason: "again" }));
    assert.equal(again.status, 200, "killing a killed run changes nothing");
    assert.equal(again.body.event, null);
    await until(async () => (await runControl(callers, runId)).state.appliedVersion === 1, "kill applied");
    const run = await db.run.findUniqueOrThrow({ where: { projectId_id: { projectId: await projectId(), id: runId } } });
    assert.equal(run.status, "killed");
    const audit = await db.auditEvent.findFirst({ where: { action: "control.run.kill", target: runId } });
    assert.equal(audit?.actorLabel, "operator@example.com");
  });

  test("a kill needs a reason; ingest and read keys and viewers cannot command", async () => {
    const runId = newRunId();
    await connect(runId);
    const noReason = await json(await commandRun(callers, runId, { action: "kill" }));
    assert.equal(noReason.status, 400);
    for (const caller of ["viewer", "readKey", "agentKey"])
      assert.equal((await commandRun(callers, runId, { action: "pause" }, caller)).status, 403, caller);
    assert.equal((await commandRun(callers, runId, { action: "pause" }, "operateKey")).status, 202);
    const { history } = await runControl(callers, runId);
    assert.match(history[0]!.actor.label, /^API key "operateKey"/);
  });

  test("duplicate and replayed commands are harmless", async () => {
    const runId = newRunId();
    const c = await connect(runId);
    const headers = { "idempotency-key": "click-1" };
    const first = await json(await commandRun(callers, runId, { action: "pause" }, "operator", headers));
    const replay = await json(await commandRun(callers, runId, { action: "pause" }, "operator", headers));
    assert.equal(first.status, 202);
    assert.equal(replay.status, 202);
    assert.equal(replay.body.replayed, true);
    assert.deepEqual((replay.body.event as { id: string }).id, (first.body.event as { id: string }).id);
    const byBody = await json(await commandRun(callers, runId, { action: "pause", requestId: "click-1" }));
    assert.equal(byBody.body.replayed, true, "the body's requestId is the key when there is no header");
    const otherKey = await json(await commandRun(callers, runId, { action: "pause" }));
    assert.equal(otherKey.status, 200, "a second pause is a no-op");
    const reused = await commandRun(callers, runId, { action: "resume" }, "operator", headers);
    assert.equal(reused.status, 409, "a key cannot be reused for another command");
    await until(() => c.state.desired === "paused", "paused");
    const { state, history } = await runControl(callers, runId);
    assert.equal(state.version, 1);
    assert.equal(history.length, 1);
    assert.equal(await db.auditEvent.count({ where: { target: runId } }), 1);

    // Two clicks at the same instant with one key: one command, and both answers name it.
    const twins = await Promise.all(
      [1, 2, 3, 4, 5].map(async () =>
        json(await commandRun(callers, runId, { action: "resume" }, "operator", { "idempotency-key": "twin" })),
      ),
    );
    assert.deepEqual(
      twins.map((t) => t.status),
      [202, 202, 202, 202, 202],
    );
    assert.equal((twins[0]!.body.event as { id: string }).id, (twins[1]!.body.event as { id: string }).id);
    assert.deepEqual(twins.map((t) => t.body.replayed).sort(), [false, true, true, true, true]);
    assert.equal((await runControl(callers, runId)).state.version, 2);
  });

  test("concurrent commands from different people: none is lost, each event has its own version", async () => {
    const runId = newRunId();
    const c = await connect(runId);
    const answers = await Promise.all(
      Array.from({ length: 16 }, async (_, i) =>
        json(
          await commandRun(callers, runId, { action: i % 2 ? "resume" : "pause" }, "operator", { "idempotency-key": `k${i}` }),
        ),
      ),
    );
    const changed = answers.filter((a) => a.status === 202).length;
    assert.ok(
      answers.every((a) => a.status === 202 || a.status === 200),
      JSON.stringify(answers.map((a) => a.status)),
    );
    const { state, history } = await runControl(callers, runId);
    // Two commands decided on the same snapshot would both claim the same version (a lost update).
    assert.equal(state.version, changed);
    assert.deepEqual(
      history.map((e) => e.version).sort((a, b) => a - b),
      Array.from({ length: changed }, (_, i) => i + 1),
    );
    await until(() => c.state.version === state.version, "the client has the last state");
    assert.equal(c.state.desired, state.desired);
  });
});

describe("the agent channel", () => {
  test("another key cannot register, stream, poll or acknowledge a run it does not own", async () => {
    const runId = newRunId();
    await connect(runId);
    const other = keys.agentKey2!;
    assert.equal((await channel(collector.url, other, runId, "register", { method: "POST", body: "{}" })).status, 403);
    assert.equal((await channel(collector.url, other, runId, "stream")).status, 403);
    assert.equal((await channel(collector.url, other, runId, "poll", {}, "?after=0&timeout=0")).status, 403);
    const ack = await channel(collector.url, other, runId, "ack", {
      method: "POST",
      body: JSON.stringify({ version: 1, applied: true }),
    });
    assert.equal(ack.status, 403);
    assert.equal((await channel(collector.url, "cwk_nope", runId, "stream")).status, 401);
    assert.equal((await channel(collector.url, keys.readKey!, runId, "stream")).status, 401, "read-only keys are not agents");
    const bogus = await channel(collector.url, keys.agentKey!, runId, "ack", {
      method: "POST",
      body: JSON.stringify({ version: 1, desired: "running" }),
    });
    assert.equal(bogus.status, 400, "the channel has no way to set a desired state");
    const future = await channel(collector.url, keys.agentKey!, runId, "ack", {
      method: "POST",
      body: JSON.stringify({ version: 99, applied: true }),
    });
    assert.equal(future.status, 409, "a client cannot claim to have applied a state that does not exist");
  });

  test("SSE: the state on connect, Last-Event-ID honoured, heartbeats, presence", async () => {
    const runId = newRunId();
    const key = keys.agentKey!;
    const reg = await channel(collector.url, key, runId, "register", {
      method: "POST",
      body: JSON.stringify({ serviceName: "sse-agent" }),
    });
    assert.equal(reg.status, 200);
    const registered = (await reg.json()) as { state: { version: number }; heartbeatMs: number };
    assert.equal(registered.heartbeatMs, 300);
    assert.equal((await commandRun(callers, runId, { action: "pause" })).status, 202);

    const ctl = new AbortController();
    const res = await channel(collector.url, key, runId, "stream", { signal: ctl.signal });
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    const [first] = await readStates(res, 1);
    assert.equal(first!.id, "1");
    assert.deepEqual(
      { ...(first!.data as object), actor: undefined },
      { runId, desired: "paused", version: 1, reason: "", actor: undefined, source: "run" },
    );
    await until(async () => (await runControl(callers, runId)).state.client.connected, "presence");
    ctl.abort();
    await until(async () => !(await runControl(callers, runId)).state.client.connected, "presence gone after disconnect");

    const ctl2 = new AbortController();
    const resumed = await channel(collector.url, key, runId, "stream", {
      signal: ctl2.signal,
      headers: { "last-event-id": "1" },
    });
    const reader = resumed.body!.getReader();
    const text: string[] = [];
    const deadline = Date.now() + 1500;
    while (Date.now() < deadline && !text.join("").includes(": heartbeat")) {
      const { value } = await reader.read();
      text.push(new TextDecoder().decode(value));
    }
    ctl2.abort();
    assert.match(text.join(""), /: heartbeat/);
    assert.doesNotMatch(text.join(""), /event: state/, "nothing is resent when the client is current");
  });

  test("long-poll: answers at once when behind, else when a command arrives", async () => {
    const runId = newRunId();
    const key = keys.agentKey!;
    await channel(collector.url, key, runId, "register", { method: "POST", body: "{}" });
    const now = (await (await channel(collector.url, key, runId, "poll", {}, "?after=0&timeout=0")).json()) as {
      changed: boolean;
    };
    assert.equal(now.changed, false);
    const started = Date.now();
    const waiting = channel(collector.url, key, runId, "poll", {}, "?after=0&timeout=10");
    await new Promise((r) => setTimeout(r, 200));
    await commandRun(callers, runId, { action: "kill", reason: "stop" });
    const polled = (await (await waiting).json()) as { state: { desired: string; version: number }; changed: boolean };
    assert.deepEqual([polled.changed, polled.state.desired, polled.state.version], [true, "killed", 1]);
    assert.ok(Date.now() - started < 5000);
    const behind = (await (await channel(collector.url, key, runId, "poll", {}, "?after=0&timeout=10")).json()) as {
      changed: boolean;
    };
    assert.equal(behind.changed, true);
  });
});

let cachedProject: string | undefined;
async function projectId(): Promise<string> {
  cachedProject ??= (await db.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  return cachedProject;
}
