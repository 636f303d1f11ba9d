import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { createPrisma } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createRedactor } from "@/lib/ingest/redact";
import { DEFAULT_DRIFT_CONFIG } from "@/lib/drift/config";
import { decodeTracesJson } from "@/collector/decode/json";
import { normalizeBatch } from "@/collector/normalize/normalize";
import { copySupported, writeBatches } from "@/collector/store/writer";
import { afterCommit } from "@/collector/store/after-commit";
import { loadRuns } from "@/collector/drift/load";
import { loadBaseline } from "@/collector/drift/baselines";
import { saveFindings } from "@/collector/drift/write";
import { claimRun, markDelivered, readStates, releaseLease, renewLeases } from "@/collector/control/store";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { encodeSpans, hex, type SpanSpec } from "@/test/helpers/otlp-load";

/**
 * The statements the collector runs for every batch, run evaluation and control poll must find
 * their rows through an index whatever the table holds. Run and span ids are char(n) columns: a
 * parameter array of text makes Postgres compare `run_id::text`, which no index serves, so the
 * statement scanned every run (or every step of the project) — on a server with a million runs,
 * each batch's run update did. With sequential scans disabled the planner takes an index whenever
 * one applies, so a plan that still scans a table, or casts an id column, is a statement that
 * cannot use one.
 */
let tdb: TestDatabase;
let client: pg.Client;
let projectId: string;
let keyId: string;
const plans: { sql: string; plan: string }[] = [];

before(async () => {
  tdb = await createTestDatabase();
  const prisma = createPrisma(tdb.url, { max: 1 });
  projectId = (await prisma.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  keyId = (await createApiKey(prisma, { projectId, name: "control", scopes: ["ingest"] })).apiKey.id;
  await prisma.$disconnect();
  client = new pg.Client({ connectionString: tdb.url });
  await client.connect();
  await client.query("SET enable_seqscan = off");
});
after(async () => {
  await client?.end();
  await tdb?.close();
});

/** A client (and a pool over it) that has every statement explained before running it. */
const explaining = {
  query(text: unknown, params?: unknown[]): unknown {
    if (typeof text !== "string") return client.query(text as pg.Submittable); // COPY streams
    if (!/^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)\b/i.test(text)) return client.query(text, params);
    return client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, params).then(({ rows }) => {
      plans.push({ sql: text, plan: rows.map((r) => r["QUERY PLAN"]).join("\n") });
      return client.query(text, params);
    });
  },
  release() {},
  async connect() {
    return explaining;
  },
};
const asPool = explaining as unknown as pg.Pool;
const asClient = explaining as unknown as pg.PoolClient;

const TABLES =
  /(Seq Scan on (runs|steps|step_payloads|run_controls|drift_points|genai_log_events)\b)|\((run_id|id|span_id|parent_span_id|first_run_id)\)::text/;

function assertIndexed(what: string) {
  assert.ok(plans.length > 0, `${what}: statements were explained`);
  for (const { sql, plan } of plans.splice(0))
    assert.doesNotMatch(plan, TABLES, `${what}: a statement cannot use an index:\n${sql.trim()}\n${plan}`);
}

/** A small agent run: root, a model call choosing a tool, the tool, a second model call. */
function agentRun(n: number): SpanSpec[] {
  const traceId = hex(0xa000 + n, 32);
  const id = (k: number) => hex(n * 16 + k, 16);
  const t = 1_763_700_000_000_000_000n + BigInt(n) * 1_000_000_000n;
  const ms = (k: number) => t + BigInt(k) * 1_000_000n;
  return [
    {
      traceId,
      spanId: id(1),
      name: "invoke_agent planner",
      startNs: ms(0),
      endNs: ms(9),
      attributes: { "gen_ai.operation.name": "invoke_agent", "session.id": `s-${n % 3}` },
    },
    {
      traceId,
      spanId: id(2),
      parentSpanId: id(1),
      name: "chat m",
      startNs: ms(1),
      endNs: ms(2),
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m", "gen_ai.usage.input_tokens": 10 },
    },
    {
      traceId,
      spanId: id(3),
      parentSpanId: id(1),
      name: "execute_tool lookup",
      startNs: ms(3),
      endNs: ms(4),
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "lookup",
        "gen_ai.tool.call.arguments": `{"q":${n}}`,
        "gen_ai.tool.call.result": "found",
      },
    },
    {
      traceId,
      spanId: id(4),
      parentSpanId: id(1),
      name: "chat m",
      startNs: ms(5),
      endNs: ms(6),
      attributes: { "gen_ai.operation.name": "chat", "gen_ai.request.model": "m", "gen_ai.usage.input_tokens": 20 },
    },
  ];
}

const opts = { redact: createRedactor(["secrets"]), maxValueBytes: 65536 };
const batchOf = (runs: number[]) =>
  normalizeBatch(projectId, decodeTracesJson(new TextDecoder().decode(encodeSpans("json", runs.flatMap(agentRun)))).spans, opts);
const runId = (n: number) => hex(0xa000 + n, 32);

test("the store's statements use indexes: new runs, more spans of stored runs, and redeliveries", async () => {
  const copy = await copySupported(client);
  for (const runs of [
    [1, 2, 3],
    [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  ]) {
    const result = await writeBatches(asClient, [batchOf(runs)], { copy });
    assert.equal(result.stored, runs.length * 4);
    await afterCommit(asPool, result.touched, result.changedRuns);
  }
  const again = await writeBatches(asClient, [batchOf([2, 3, 4])], { copy });
  assert.deepEqual([again.stored, again.duplicates], [0, 12], "redelivered spans are recognized");
  assertIndexed("store");
});

test("a run's drift evaluation reads it, its agent's baseline and writes findings through indexes", async () => {
  const run = { projectId, runId: runId(2) };
  const loaded = await loadRuns(asPool, [run, { projectId, runId: runId(3) }, { projectId, runId: runId(99) }]);
  assert.deepEqual([...loaded.keys()], [`${projectId}/${runId(2)}`, `${projectId}/${runId(3)}`], "runs that exist");
  assert.equal(loaded.get(`${projectId}/${runId(2)}`)?.facts.live, false);
  assert.deepEqual(
    loaded.get(`${projectId}/${runId(2)}`)?.steps.map((s) => [s.index, s.kind]),
    [
      [1, "agent"],
      [2, "llm"],
      [3, "tool"],
      [4, "llm"],
    ],
  );
  const config = { ...DEFAULT_DRIFT_CONFIG, trajectory: { ...DEFAULT_DRIFT_CONFIG.trajectory, minBaselineRuns: 2 } };
  const baseline = await loadBaseline(asPool, projectId, "load-agent", config, true);
  assert.ok(baseline.length >= 20, "the agent's finished runs form its baseline");
  assert.deepEqual(baseline[0]!.tools, ["lookup"], "with their tool sequences");
  const finding = {
    spanId: hex(2 * 16 + 3, 16),
    detector: "loop" as const,
    severity: "high" as const,
    score: 1,
    summary: "lookup repeated",
    evidence: { rule: "same-call", spanIds: [hex(2 * 16 + 3, 16)] },
  };
  assert.equal((await saveFindings(asPool, run, [finding])).changed, true);
  assert.equal((await saveFindings(asPool, run, [])).changed, true, "and removes them");
  assertIndexed("drift");
});

test("the control channel's reads and lease updates find the run through indexes", async () => {
  const key = { projectId, runId: runId(5) };
  const claim = await claimRun(asPool, { projectId, keyId }, key.runId, { serviceName: "load-agent", instanceId: "" });
  assert.equal(claim.kind, "ok");
  const states = await readStates(asPool, [key, { projectId, runId: runId(6) }]);
  assert.equal(states.get(`${projectId}/${key.runId}`)?.exists, true);
  assert.deepEqual(await renewLeases(asPool, [key], 10_000), [key], "the first lease finds the client gone before");
  await markDelivered(asPool, key, 1);
  await releaseLease(asPool, key);
  assertIndexed("control");
});
