import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { encodeRunDetail, runDetailResponse } from "@/lib/api/run-detail-wire";
import type { RunDetail } from "@/lib/api/schemas";
import { MIGRATIONS_DIR } from "@/lib/server/db/migrate";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { getRunDetail } from "@/lib/server/repositories/run-detail";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * The run view's data from the step facts stored at ingest (call ids and names,
 * tool results in context, handoff target, context size): the same whatever order
 * spans arrive in, the same when the migration derives them from stored messages,
 * and the same after the trip through the API's wire columns.
 */
const ADMIN_TOKEN = "run-detail-admin-token-0123";
const ORIGIN = "http://localhost:3000";
let tdb: TestDatabase;
let db: Db;
let sql: pg.Pool;
let collector: RunningCollector;
let projectId: string;
let ingestKey: string;

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: tdb.url, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_PUBLIC_URL: ORIGIN });
  db = createPrisma(tdb.url, { max: 3 });
  sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
  projectId = (await db.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  ingestKey = (await createApiKey(db, { projectId, name: "ingest", scopes: ["ingest"] })).key;
  collector = await startCollector(tdb.url);
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  await sql?.end();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

// ---- a triage agent decides two tool calls (one without an id), reads both results, then hands off to billing ----

type SpanSpec = { id: string; parent: string | null; name: string; at: number; attrs: Record<string, string> };
const msgs = (m: object[]) => JSON.stringify(m);
const RUN: SpanSpec[] = [
  {
    id: "a1",
    parent: null,
    name: "invoke_agent triage",
    at: 0,
    attrs: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "triage" },
  },
  {
    id: "d1",
    parent: "a1",
    name: "chat gpt-4o",
    at: 1,
    attrs: {
      "gen_ai.operation.name": "chat",
      "gen_ai.input.messages": msgs([{ role: "user", parts: [{ type: "text", content: "refund order 7" }] }]),
      "gen_ai.output.messages": msgs([
        {
          role: "assistant",
          parts: [
            { type: "tool_call", id: "call_lookup", name: "lookup_order", arguments: { id: 7 } },
            { type: "tool_call", name: "check_policy", arguments: {} },
          ],
        },
      ]),
    },
  },
  { id: "t1", parent: "a1", name: "execute_tool lookup_order", at: 2, attrs: tool("lookup_order", "call_lookup") },
  { id: "t2", parent: "a1", name: "execute_tool check_policy", at: 3, attrs: tool("check_policy") },
  {
    id: "d2",
    parent: "a1",
    name: "chat gpt-4o",
    at: 4,
    attrs: {
      "gen_ai.operation.name": "chat",
      "gen_ai.input.messages": msgs([
        { role: "user", parts: [{ type: "text", content: "refund order 7" }] },
        { role: "assistant", parts: [{ type: "tool_call", id: "call_lookup", name: "lookup_order", arguments: { id: 7 } }] },
        { role: "tool", parts: [{ type: "tool_call_response", id: "call_lookup", response: { paid: true } }] },
        { role: "tool", parts: [{ type: "tool_call_response", response: "refunds allowed" }] },
      ]),
      "gen_ai.output.messages": msgs([{ role: "assistant", parts: [{ type: "text", content: "handing over" }] }]),
    },
  },
  {
    id: "h1",
    parent: "a1",
    name: "handoff",
    at: 5,
    attrs: { "gen_ai.operation.name": "handoff", "gen_ai.handoff.from_agent": "triage", "gen_ai.handoff.to_agent": "billing" },
  },
  {
    id: "a2",
    parent: null,
    name: "invoke_agent billing",
    at: 6,
    attrs: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "billing" },
  },
];

function tool(name: string, callId?: string): Record<string, string> {
  return {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": name,
    ...(callId ? { "gen_ai.tool.call.id": callId } : {}),
  };
}

const spanId = (id: string) => Buffer.from(id).toString("hex").padStart(16, "0");
function request(traceId: string, specs: SpanSpec[]): string {
  const spans = specs.map((s) => ({
    traceId,
    spanId: spanId(s.id),
    ...(s.parent ? { parentSpanId: spanId(s.parent) } : {}),
    name: s.name,
    kind: 1,
    startTimeUnixNano: String(1_763_700_000_000_000_000n + BigInt(s.at) * 1_000_000n),
    endTimeUnixNano: String(1_763_700_000_000_000_000n + BigInt(s.at) * 1_000_000n + 900_000n),
    attributes: Object.entries(s.attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
    status: {},
  }));
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "support" } }] },
        scopeSpans: [{ scope: { name: "t" }, spans }],
      },
    ],
  });
}

async function send(traceId: string, requests: SpanSpec[][]): Promise<void> {
  for (const specs of requests) {
    const res = await fetch(`${collector.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
      body: request(traceId, specs),
    });
    assert.equal(res.status, 200, await res.text());
  }
}

/** Edges by the test's span names, e.g. "d1 -tool_call(call_lookup)-> t1". */
const named = (d: RunDetail) => {
  const name = (id: string) => Buffer.from(id, "hex").toString().replace(/^\0+/, "");
  return d.edges.map((e) => `${name(e.from)} -${e.kind}(${e.via})-> ${name(e.to)}`).sort();
};
const EXPECTED = [
  "d1 -tool_call(call_lookup)-> t1",
  "d1 -tool_call(null)-> t2",
  "h1 -handoff(billing)-> a2",
  "t1 -tool_result(call_lookup)-> d2",
  "t2 -tool_result(null)-> d2",
];

const IN_ORDER = "1b0000000000000000000000000000aa";
const REVERSED = "1b0000000000000000000000000000bb";

test("the causal edges come from facts stored per step, whatever order the spans arrive in", async () => {
  await send(IN_ORDER, [RUN]);
  await send(
    REVERSED,
    [...RUN].reverse().map((s) => [s]),
  ); // children first, one span per request, the root last
  const inOrder = (await getRunDetail(db, projectId, IN_ORDER))!;
  const reversed = (await getRunDetail(db, projectId, REVERSED))!;
  assert.deepEqual(named(inOrder), EXPECTED);
  assert.deepEqual(named(reversed), EXPECTED);
  assert.deepEqual(reversed.steps, inOrder.steps);
  const d2 = inOrder.steps.find((s) => s.spanId === spanId("d2"))!;
  assert.equal(d2.contextSize, 4);
  assert.equal(inOrder.steps.find((s) => s.spanId === spanId("h1"))!.handoffTo, "billing");
});

test("the migration's backfill derives the same facts from stored messages as ingest stores", async () => {
  const FACTS = `SELECT run_id, span_id, context_count, call_ids, call_names, tool_result_ids, handoff_to FROM steps ORDER BY run_id, span_id`;
  const stored = (await sql.query(FACTS)).rows;
  const before = await getRunDetail(db, projectId, IN_ORDER);
  assert.ok(stored.some((r) => r.call_ids.length > 0) && stored.some((r) => r.tool_result_ids.length > 0));

  const migration = await readFile(path.join(MIGRATIONS_DIR, "20261121070000_step_facts", "migration.sql"), "utf8");
  const backfill = migration.slice(migration.indexOf('UPDATE "steps"'));
  assert.match(backfill, /^UPDATE "steps" s SET/, "the migration's backfill statement");
  await sql.query(
    `UPDATE steps SET context_count = 0, call_ids = '{}', call_names = '{}', tool_result_ids = '{}', handoff_to = NULL`,
  );
  await sql.query(backfill);
  assert.deepEqual((await sql.query(FACTS)).rows, stored);
  assert.deepEqual(await getRunDetail(db, projectId, IN_ORDER), before);
});

test("the run route sends the repository's columns, which decode to one object per step", async () => {
  const { GET } = await import("@/app/api/v1/runs/[runId]/route");
  const res = await GET(
    new Request(`${ORIGIN}/api/v1/runs/${IN_ORDER}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    {
      params: Promise.resolve({ runId: IN_ORDER }),
    },
  );
  assert.equal(res.status, 200);
  const body: unknown = await res.json();
  const detail = (await getRunDetail(db, projectId, IN_ORDER))!;
  assert.deepEqual(runDetailResponse.parse(body), detail);
  assert.deepEqual(body, JSON.parse(JSON.stringify(encodeRunDetail(detail))), "built from rows as the encoder builds it");
});
