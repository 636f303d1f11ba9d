import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectControl, RunKilledError, type ControlClient } from "@/lib/agent";
import { agentControl } from "@/lib/api/control-schemas";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import {
  callRoute,
  commandAgent,
  commandRun,
  makeCallers,
  newRunId,
  runControl,
  until,
  webEnvFor,
  type Callers,
} from "@/test/helpers/control";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * Agent-wide commands: they reach every live run of the agent, new runs of a paused or
 * killed agent are told so when they register, and runs killed through their agent
 * stay killed when the agent is resumed.
 */
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let callers: Callers;
let keys: Record<string, string>;
const clients: ControlClient[] = [];

before(async () => {
  tdb = await createTestDatabase();
  webEnvFor(tdb.url);
  db = createPrisma(tdb.url, { max: 3 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  ({ callers, keys } = await makeCallers(db, project.id));
  collector = await startCollector(tdb.url, { CAUSEWAY_CONTROL_HEARTBEAT_MS: "500" });
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await collector?.stop();
  await db.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb.close();
});

async function connect(runId: string, serviceName: string): Promise<ControlClient> {
  const c = await connectControl({ endpoint: collector.url, apiKey: keys.agentKey!, runId, serviceName, onError: () => {} });
  clients.push(c);
  await until(() => c.connected, "stream");
  return c;
}

async function agentState(agentId: string) {
  const res = await callRoute("agents/[agentId]/control", "GET", callers.viewer!, { agentId });
  assert.equal(res.status, 200);
  return agentControl.parse(await res.json());
}

test("pause, resume and kill an agent: all its live runs follow; new runs are refused until it is resumed", async () => {
  const [r1, r2] = [newRunId(), newRunId()];
  const a = await connect(r1, "research-bot");
  const b = await connect(r2, "research-bot");
  const agent = await db.agent.findFirstOrThrow({ where: { serviceName: "research-bot" } });
  const unrelated = await connect(newRunId(), "other-bot");

  assert.equal((await commandAgent(callers, agent.id, { action: "pause", reason: "maintenance" })).status, 202);
  await until(() => a.state.desired === "paused" && b.state.desired === "paused", "both runs paused");
  assert.equal(unrelated.state.desired, "running");
  const held = a.checkpoint();
  assert.equal((await commandRun(callers, r1, { action: "pause", reason: "own pause" })).status, 202);
  assert.equal((await commandAgent(callers, agent.id, { action: "resume" })).status, 202);
  await until(() => b.state.desired === "running", "b resumed");
  assert.equal(a.state.desired, "paused", "the run's own pause still holds");
  assert.equal((await commandRun(callers, r1, { action: "resume" })).status, 202);
  await held;

  const kill = await commandAgent(callers, agent.id, { action: "kill", reason: "leaking data" });
  assert.equal(kill.status, 202);
  const killed = (await kill.json()) as { event: { reach: { runs: number } } };
  assert.equal(killed.event.reach.runs, 2);
  await until(() => a.signal.aborted && b.signal.aborted, "both runs killed");
  await assert.rejects(b.checkpoint(), RunKilledError);

  const late = await connect(newRunId(), "research-bot");
  assert.equal(late.state.desired, "killed", "a new run of a killed agent is refused at registration");
  assert.ok(late.signal.aborted);
  assert.equal((await commandAgent(callers, agent.id, { action: "pause" })).status, 409, "a killed agent is resumed, not paused");

  assert.equal((await commandAgent(callers, agent.id, { action: "resume", reason: "fixed" })).status, 202);
  const fresh = await connect(newRunId(), "research-bot");
  assert.equal(fresh.state.desired, "running", "after the resume new runs start");
  for (const runId of [r1, r2])
    assert.equal((await runControl(callers, runId)).state.desired, "killed", "killed runs stay killed");

  const { state, history } = await agentState(agent.id);
  assert.equal(state.desired, "running");
  assert.equal(state.serviceName, "research-bot");
  assert.deepEqual(
    history.map((e) => e.action),
    ["resume", "kill", "resume", "pause"],
  );
  const killEvent = history[1]!;
  await until(async () => (await agentState(agent.id)).history[1]!.reach!.applied >= 2, "both runs applied the kill");
  assert.equal(killEvent.reach?.runs, 3, "the two live runs, and the one refused at registration");
  const runHistory = (await runControl(callers, r2)).history;
  assert.equal(runHistory[0]!.scope, "agent", "the run's history shows the agent command that reached it");
  assert.equal(runHistory[0]!.reason, "leaking data");
});

test("unknown agents are 404; agent commands need the operate permission", async () => {
  assert.equal((await commandAgent(callers, "00000000-0000-4000-8000-000000000000", { action: "pause" })).status, 404);
  assert.equal((await commandAgent(callers, "not-a-uuid", { action: "pause" })).status, 404);
  const agent = await db.agent.findFirstOrThrow();
  assert.equal((await commandAgent(callers, agent.id, { action: "pause" }, "viewer")).status, 403);
  assert.equal((await commandAgent(callers, agent.id, { action: "pause" }, "agentKey")).status, 403);
});
