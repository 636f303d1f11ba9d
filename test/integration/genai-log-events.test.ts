import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { getRunDetail } from "@/lib/server/repositories/run-detail";
import { getContextSeries, getStepDetail } from "@/lib/server/repositories/step-detail";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { recordLogsAgent, type LogsAgentOptions, type RecordedLogsAgent } from "@/test/producers/otel-genai-logs-agent";

/**
 * GenAI events sent as OTLP logs, end to end: an agent instrumented with the real OpenTelemetry trace and logs
 * SDKs sends spans without messages and its conversation as log records, to the real collector process, in
 * either order, at once, and twice. The model calls must then read, through the repositories the UI uses, as if
 * the spans had carried the messages: context, decisions, context evolution and the causal tool-call edges.
 */
let tdb: TestDatabase;
let db: Db;
let sql: pg.Pool;
let collector: RunningCollector;
let projectId: string;
let headers: Record<string, string>;

const SECRET = "sk-proj-SEEDEDsecretVALUE0123456789abcdef";
const CALL_ID = "call_weather_1";

before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 2 });
  sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  projectId = project.id;
  headers = { authorization: `Bearer ${(await createApiKey(db, { projectId, name: "logs", scopes: ["ingest"] })).key}` };
  collector = await startCollector(tdb.url);
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  await sql?.end();
  await tdb?.close();
});

type Order = "logs first" | "spans first" | "at once";

async function deliver(agent: RecordedLogsAgent, order: Order): Promise<void> {
  if (order === "logs first") {
    await agent.sendLogs();
    await agent.sendSpans();
  } else if (order === "spans first") {
    await agent.sendSpans();
    await agent.sendLogs();
  } else await Promise.all([agent.sendLogs(), agent.sendSpans()]);
}

async function run(order: Order, o: Pick<LogsAgentOptions, "form" | "eventNameIn" | "logsProtocol">): Promise<RecordedLogsAgent> {
  const agent = await recordLogsAgent({
    endpoint: collector.url,
    headers,
    userText: `my key is ${SECRET}, mail me at seed@example.com`,
    ...o,
  });
  await deliver(agent, order);
  return agent;
}

/** What the run view, the step panel and the context chart show for the run. */
async function assertShownAsIfTheSpansCarriedTheMessages(agent: RecordedLogsAgent): Promise<void> {
  const { traceId, spans } = agent;
  const decision = await getStepDetail(db, projectId, traceId, spans.chat1);
  assert.ok(decision, "the first model call");
  assert.equal(decision.step.kind, "llm");
  assert.deepEqual(
    decision.inputMessages.map((m) => m.role),
    ["system", "user"],
  );
  assert.equal(decision.inputMessages[0]!.content, "You are a weather assistant.");
  assert.match(String(decision.inputMessages[1]!.content), /What is the weather in Paris\? my key is \[REDACTED:api_key\]/);
  assert.deepEqual(
    decision.outputMessages.map((m) => m.toolCalls),
    [[{ id: CALL_ID, name: "get_weather", arguments: '{"city":"Paris"}' }]],
    "the decision shows its tool call",
  );
  assert.equal(decision.finishReason, "tool_calls");

  const answer = await getStepDetail(db, projectId, traceId, spans.chat2);
  assert.ok(answer);
  assert.deepEqual(
    answer.inputMessages.map((m) => [m.role, m.toolCallId]),
    [
      ["system", null],
      ["user", null],
      ["assistant", null],
      ["tool", CALL_ID],
    ],
  );
  assert.equal(answer.inputMessages[3]!.content, '{"temperature_c":18,"sky":"cloudy"}');
  assert.equal(answer.outputMessages[0]!.content, "It is 18°C and cloudy in Paris.");
  assert.equal(answer.previous?.spanId, spans.chat1, "context evolution: compared with the previous call");
  assert.deepEqual(
    [answer.contextDiff?.counts.unchanged, answer.contextDiff?.counts.added, answer.contextDiff?.addedByRole],
    [2, 2, { assistant: 1, tool: 1 }],
  );

  const detail = await getRunDetail(db, projectId, traceId);
  assert.ok(detail);
  const edges = detail.edges.map((e) => `${e.from} -${e.kind}(${e.via})-> ${e.to}`).sort();
  assert.deepEqual(
    edges,
    [`${spans.chat1} -tool_call(${CALL_ID})-> ${spans.tool}`, `${spans.tool} -tool_result(${CALL_ID})-> ${spans.chat2}`].sort(),
    "decision -> tool -> next decision, by the tool-call id",
  );
  assert.deepEqual(
    detail.steps.filter((s) => s.kind === "llm").map((s) => [s.spanId, s.contextSize]),
    [
      [spans.chat1, 2],
      [spans.chat2, 4],
    ],
  );

  const series = await getContextSeries(db, projectId, traceId);
  assert.deepEqual(
    series?.points.map((p) => [p.spanId, p.messageCount]),
    [
      [spans.chat1, 2],
      [spans.chat2, 4],
    ],
  );
  for (const p of series!.points) {
    const d = await getStepDetail(db, projectId, traceId, p.spanId);
    assert.ok(p.bytes > 0);
    assert.equal(
      p.bytes,
      d!.inputMessages.reduce((n, m) => n + m.byteSize, 0),
      "bytes of the messages the log events gave",
    );
  }
}

async function snapshot(traceId: string) {
  const { rows: steps } = await sql.query(
    `SELECT span_id, context_hashes, output_hashes, call_ids, tool_result_ids, attributes FROM steps WHERE run_id = $1 ORDER BY span_id`,
    [traceId],
  );
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM genai_log_events WHERE run_id = $1`, [traceId]);
  return { steps, events: rows[0]!.n };
}

/** A second delivery of everything (an exporter retry) changes nothing. */
async function assertRedeliveryChangesNothing(agent: RecordedLogsAgent): Promise<void> {
  const before = await snapshot(agent.traceId);
  assert.equal(before.events, agent.records, "one row per record");
  await agent.sendLogs();
  await agent.sendSpans();
  assert.deepEqual(await snapshot(agent.traceId), before);
}

async function assertNoSecretStored(): Promise<void> {
  for (const table of ["steps", "step_payloads", "messages", "genai_log_events", "runs", "agents"]) {
    const { rows } = await sql.query(
      `SELECT 1 FROM ${table} x WHERE x::text LIKE '%SEEDEDsecret%' OR x::text LIKE '%seed@example.com%'`,
    );
    assert.equal(rows.length, 0, `no secret in ${table}`);
  }
}

describe("GenAI events sent as OTLP logs", () => {
  const cases: [Order, Pick<LogsAgentOptions, "form" | "eventNameIn" | "logsProtocol">][] = [
    ["logs first", { form: "events" }],
    ["spans first", { form: "events", eventNameIn: "attribute", logsProtocol: "protobuf" }],
    ["logs first", { form: "details", logsProtocol: "protobuf" }],
    ["spans first", { form: "details" }],
    ["at once", { form: "events" }],
    ["at once", { form: "details" }],
  ];
  for (const [order, o] of cases) {
    const name = o.form === "events" ? "per-message events" : "operation-details events";
    const how = [o.eventNameIn === "attribute" ? "named by the event.name attribute" : "", o.logsProtocol ?? "json"]
      .filter(Boolean)
      .join(", ");
    test(`${name}, ${order} (${how}): the model calls show their messages and tool calls`, async () => {
      const agent = await run(order, o);
      await assertShownAsIfTheSpansCarriedTheMessages(agent);
      await assertRedeliveryChangesNothing(agent);
      await assertNoSecretStored();
    });
  }

  test("POST /v1/logs: other records are dropped, unusable GenAI events rejected in partial_success", async () => {
    const traceId = "5b8efff798038103d269b633813fc60c";
    const spanId = "eee19b7ec3c1b174";
    const record = (eventName: string, body: unknown, ids = true) => ({
      timeUnixNano: "1763700000000000000",
      eventName,
      body,
      ...(ids ? { traceId, spanId } : {}),
    });
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                record("", { stringValue: "GET /health 200" }),
                record("gen_ai.user.message", { intValue: "7" }),
                record(
                  "gen_ai.user.message",
                  { kvlistValue: { values: [{ key: "content", value: { stringValue: "hi" } }] } },
                  false,
                ),
                record("gen_ai.user.message", { kvlistValue: { values: [{ key: "content", value: { stringValue: "hi" } }] } }),
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`${collector.url}/v1/logs`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { partialSuccess?: { rejectedLogRecords?: string; errorMessage?: string } };
    assert.equal(answer.partialSuccess?.rejectedLogRecords, "2");
    assert.match(answer.partialSuccess?.errorMessage ?? "", /body must be a map.*no trace_id\/span_id/);
    const { rows } = await sql.query(`SELECT event_name FROM genai_log_events WHERE run_id = $1`, [traceId]);
    assert.deepEqual(rows, [{ event_name: "gen_ai.user.message" }], "the usable GenAI event is kept for its span");

    const metrics = await (await fetch(`${collector.url}/metrics`)).text();
    assert.match(metrics, /^causeway_collector_log_records_dropped_total [1-9]/m);
    assert.match(metrics, /^causeway_collector_log_records_rejected_total [2-9]/m);
  });
});
