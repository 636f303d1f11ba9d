import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectControl, RunKilledError, type ControlClient } from "@/lib/agent";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { freePort, startCollector, type RunningCollector } from "@/test/helpers/collector";
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
 * Control with more than one collector, and without one: commands fan out through
 * Postgres LISTEN/NOTIFY to whichever replica an agent is connected to; an agent whose
 * collector goes away keeps working (fail-open) and obeys again once it is back.
 */
let tdb: TestDatabase;
let db: Db;
let callers: Callers;
let keys: Record<string, string>;
const collectors: RunningCollector[] = [];
const clients: ControlClient[] = [];

before(async () => {
  tdb = await createTestDatabase();
  webEnvFor(tdb.url);
  db = createPrisma(tdb.url, { max: 3 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  ({ callers, keys } = await makeCallers(db, project.id));
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(collectors.map((c) => c.stop().catch(() => null)));
  await db.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb.close();
});

// A long re-check interval: delivery within it proves the notification crossed processes.
const ENV = { CAUSEWAY_CONTROL_HEARTBEAT_MS: "500", CAUSEWAY_CONTROL_RECHECK_MS: "20000" };

async function collector(port?: number): Promise<RunningCollector> {
  const c = await startCollector(tdb.url, ENV, { port });
  collectors.push(c);
  return c;
}

async function connect(endpoint: string, runId: string): Promise<ControlClient> {
  const c = await connectControl({
    endpoint,
    apiKey: keys.agentKey!,
    runId,
    backoff: { baseMs: 50, maxMs: 300 },
    onError: () => {},
  });
  clients.push(c);
  await until(() => c.connected, "stream");
  return c;
}

test("two collector replicas: a command reaches agents on both, whichever one got the registration", async (t) => {
  const [a, b] = await Promise.all([collector(), collector()]);
  const runId = newRunId();
  const onA = await connect(a.url, runId);
  const ctl = new AbortController();
  const onB = await channel(b.url, keys.agentKey!, runId, "stream", { signal: ctl.signal });
  assert.equal(onB.status, 200, "the owner's key may listen through any replica");
  const other = newRunId();
  const onlyB = await connect(b.url, other);

  const seenOnB = readStates(onB, 2);
  const sent = performance.now();
  const seenOnA = new Promise<number>((resolve) => onA.onChange(() => resolve(performance.now() - sent)));
  assert.equal((await commandRun(callers, runId, { action: "kill", reason: "replicas" })).status, 202);
  const [msA, states] = await Promise.all([seenOnA, seenOnB]);
  const msB = performance.now() - sent;
  ctl.abort();
  assert.deepEqual(
    states.map((s) => [s.id, (s.data as { desired: string }).desired]),
    [
      ["0", "running"],
      ["1", "killed"],
    ],
  );
  assert.ok(msA < 5000 && msB < 5000, `seen on A after ${msA.toFixed(0)} ms, on B by ${msB.toFixed(0)} ms`);
  t.diagnostic(`kill seen on replica A after ${msA.toFixed(1)} ms, on replica B by ${msB.toFixed(1)} ms`);
  await assert.rejects(onA.checkpoint(), RunKilledError);

  assert.equal((await commandRun(callers, other, { action: "pause" })).status, 202);
  await until(() => onlyB.state.desired === "paused", "the run on B paused", 5000);
});

test("collector stopped while the agent runs: the agent keeps working, then reconnects and obeys a new command", async () => {
  const port = await freePort();
  let c = await collector(port);
  const runId = newRunId();
  const agent = await connect(c.url, runId);
  assert.equal(await c.stop(), 0, "the collector stops cleanly with a control stream open");
  await until(() => !agent.connected, "the client noticed");

  // Fail-open: checkpoints pass at memory speed while nothing answers.
  const started = performance.now();
  for (let i = 0; i < 1000; i++) await agent.checkpoint();
  assert.ok(performance.now() - started < 100);
  assert.equal(agent.state.desired, "running");
  assert.equal((await commandRun(callers, runId, { action: "pause", reason: "while the collector was down" })).status, 202);

  c = await collector(port);
  await until(() => agent.connected, "reconnected", 10_000);
  await until(() => agent.state.desired === "paused", "the command issued while down arrives on reconnect", 5000);
  const held = assert.rejects(agent.checkpoint(), RunKilledError);
  assert.equal((await commandRun(callers, runId, { action: "kill", reason: "after restart" })).status, 202);
  await held;
  assert.ok(agent.signal.aborted);
  await until(async () => (await runControl(callers, runId)).state.appliedVersion === 2, "the kill acknowledged as applied");
});

test("a collector killed outright: the client's lease runs out, so the run shows no connected client", async () => {
  const c = await collector();
  const runId = newRunId();
  const agent = await connect(c.url, runId);
  await until(async () => (await runControl(callers, runId)).state.client.connected, "connected");
  await c.kill();
  await until(() => !agent.connected, "the client noticed");
  await until(async () => !(await runControl(callers, runId)).state.client.connected, "lease expired", 5000);
});
