import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * The hand-written SQL migrations and prisma/schema.prisma must describe the same
 * database: every model field has its column and every column its field, and every
 * model can be written and read back through the generated client.
 */
let tdb: TestDatabase;
let db: Db;
before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 3 });
});
after(async () => {
  await db.$disconnect();
  await tdb.close();
});

type RuntimeModel = { dbName: string | null; fields: { name: string; kind: string; dbName?: string }[] };

test("every model's fields and its table's columns match one to one", async () => {
  const models = (db as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel.models;
  assert.ok(Object.keys(models).length >= 17, "runtime data model available");
  const columns = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
  const byTable = new Map<string, Set<string>>();
  for (const c of columns) byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));

  for (const [name, model] of Object.entries(models)) {
    const table = model.dbName ?? name;
    const actual = byTable.get(table);
    assert.ok(actual, `table ${table} for model ${name} exists`);
    const expected = model.fields.filter((f) => f.kind !== "object").map((f) => f.dbName ?? f.name);
    assert.deepEqual([...actual].sort(), expected.sort(), `columns of ${table}`);
    byTable.delete(table);
  }
  assert.deepEqual([...byTable.keys()], [], "no table without a model");
});

test("every model can be written and read back", async () => {
  const project = await db.project.create({ data: { slug: "schema-test", name: "Schema test" } });
  const user = await db.user.create({ data: { email: "s@example.com", name: "S", passwordHash: "x", role: "operator" } });
  await db.userSession.create({ data: { userId: user.id, tokenHash: "h1", expiresAt: new Date(Date.now() + 1000) } });
  await db.apiKey.create({
    data: { projectId: project.id, name: "k", prefix: "cwk_x", keyHash: "kh", scopes: ["ingest", "read"], createdById: user.id },
  });
  await db.rateLimitHit.create({ data: { key: "k" } });
  await db.auditEvent.create({ data: { actorLabel: "t", action: "a", details: { x: 1 } } });
  const agent = await db.agent.create({
    data: { projectId: project.id, serviceName: "bot", instanceId: "i-1", attributes: { "service.version": "1" } },
  });
  await db.session.create({ data: { projectId: project.id, id: "conv-1", runCount: 1 } });
  const runId = "0af7651916cd43dd8448eb211c80319c";
  const spanId = "b7ad6b7169203331";
  await db.run.create({
    data: {
      projectId: project.id,
      id: runId,
      agentId: agent.id,
      sessionId: "conv-1",
      name: "r",
      status: "error",
      rootSpanId: spanId,
      startedAt: new Date(),
      lastActivityAt: new Date(),
      totalTokens: 12n,
      maxDriftSeverity: "high",
    },
  });
  await db.step.create({
    data: {
      projectId: project.id,
      runId,
      spanId,
      kind: "llm",
      name: "chat gpt-4o",
      startNs: 1_763_700_000_000_000_000n,
      endNs: 1_763_700_001_000_000_000n,
      model: "gpt-4o",
      status: "error",
      contextHashes: ["a".repeat(64)],
      outputHashes: ["b".repeat(64)],
      attributes: { k: "v" },
      events: [{ name: "e" }],
    },
  });
  await db.stepPayload.create({
    data: { projectId: project.id, runId, spanId, input: "in", output: "out", outputFullBytes: 99 },
  });
  await db.message.create({
    data: { projectId: project.id, hash: "a".repeat(64), role: "user", content: { role: "user", content: "hi" }, byteSize: 2 },
  });
  await db.stepEdge.create({
    data: { projectId: project.id, runId, fromSpanId: spanId, toSpanId: spanId, kind: "tool_call", via: "call_1" },
  });
  await db.driftPoint.create({
    data: {
      projectId: project.id,
      runId,
      spanId,
      detector: "loop",
      severity: "high",
      score: 0.9,
      summary: "s",
      evidence: { steps: [1] },
    },
  });
  await db.runControl.create({ data: { projectId: project.id, runId, desired: "paused", version: 1 } });
  await db.agentControl.create({ data: { agentId: agent.id, desired: "killed", version: 2 } });
  await db.controlEvent.create({
    data: {
      projectId: project.id,
      runId,
      action: "pause",
      desired: "paused",
      version: 1,
      actorType: "user",
      actorLabel: "s@example.com",
      requestId: "req-1",
    },
  });

  const run = await db.run.findUniqueOrThrow({
    where: { projectId_id: { projectId: project.id, id: runId } },
    include: {
      steps: true,
      payloads: true,
      edges: true,
      driftPoints: true,
      control: true,
      agent: { include: { control: true } },
      session: true,
    },
  });
  assert.equal(run.totalTokens, 12n);
  assert.equal(run.steps[0]!.startNs, 1_763_700_000_000_000_000n, "nanosecond timestamps survive");
  assert.deepEqual(run.steps[0]!.contextHashes, ["a".repeat(64)]);
  assert.equal(run.payloads[0]!.outputFullBytes, 99);
  assert.equal(run.edges[0]!.kind, "tool_call");
  assert.equal(run.driftPoints[0]!.severity, "high");
  assert.equal(run.control?.desired, "paused");
  assert.equal(run.agent?.control?.desired, "killed");
  assert.equal(run.session?.runCount, 1);
  const key = await db.apiKey.findFirstOrThrow({ where: { projectId: project.id } });
  assert.deepEqual(key.scopes, ["ingest", "read"]);
  assert.equal((await db.controlEvent.findFirstOrThrow({ where: { requestId: "req-1" } })).actorType, "user");

  // Deleting a run removes everything that hangs off it.
  await db.run.delete({ where: { projectId_id: { projectId: project.id, id: runId } } });
  assert.equal(await db.step.count({ where: { runId } }), 0);
  assert.equal(await db.stepPayload.count({ where: { runId } }), 0);
});
