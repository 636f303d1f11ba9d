import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { context, trace, type Span } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { contextSeries, stepDetail, type StepDetail } from "@/lib/api/step-schemas";
import { runDetailResponse } from "@/lib/api/run-detail-wire";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";

/**
 * Step detail and context evolution end to end: real spans from the OpenTelemetry SDK through the real
 * collector process (so messages and context hashes come from the real normalize stage, with a small
 * value cap to force truncation), read back through the route handlers as the UI calls them.
 */
const ADMIN_TOKEN = "step-detail-admin-token-0123";
const ORIGIN = "http://localhost:3000";
const MAX_VALUE_BYTES = 4096;
let tdb: TestDatabase;
let db: Db;
let sql: pg.Pool;
let collector: RunningCollector;
let ingestHeaders: Record<string, string>;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: { run: Handler; step: Handler; context: Handler };

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, { DATABASE_URL: tdb.url, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_PUBLIC_URL: ORIGIN });
  db = createPrisma(tdb.url, { max: 2 });
  sql = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const key = (await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] })).key;
  ingestHeaders = { authorization: `Bearer ${key}` };
  collector = await startCollector(tdb.url, { CAUSEWAY_MAX_VALUE_BYTES: String(MAX_VALUE_BYTES) });
  routes = {
    run: (await import("@/app/api/v1/runs/[runId]/route")).GET as Handler,
    step: (await import("@/app/api/v1/runs/[runId]/steps/[spanId]/route")).GET as Handler,
    context: (await import("@/app/api/v1/runs/[runId]/context/route")).GET as Handler,
  };
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  await sql?.end();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

async function get(route: Handler, params: Record<string, string>): Promise<Response> {
  const path = Object.values(params).join("/");
  return route(new Request(`${ORIGIN}/api/v1/runs/${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }), {
    params: Promise.resolve(params),
  });
}

async function step(runId: string, spanId: string): Promise<StepDetail> {
  const res = await get(routes.step, { runId, spanId });
  assert.equal(res.status, 200, await res.clone().text());
  return stepDetail.parse(await res.json());
}

async function stepsOf(runId: string) {
  const res = await get(routes.run, { runId });
  assert.equal(res.status, 200);
  return runDetailResponse.parse(await res.json()).steps;
}

// ---- a two-agent run: planner decides, a tool returns a large report, a writer sub-agent runs, planner again ----

const REPORT = Array.from({ length: 400 }, (_, i) => `Line ${i}: revenue by region, quarter ${(i % 4) + 1}.`).join("\n");
const TOOLS = [
  {
    type: "function",
    name: "fetch_report",
    description: "Fetch a report by id",
    parameters: { type: "object", properties: { id: { type: "integer" } } },
  },
];
const QUESTION = "Summarise the quarterly report.";

/** Spans at explicit, increasing times so "previous call" does not depend on clock resolution. */
async function runResearchAgent(): Promise<{ traceId: string }> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "research-agent", "service.instance.id": "r-1" }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: ingestHeaders })),
    ],
  });
  const tracer = provider.getTracer("research-agent");
  let ms = Date.now();
  const at = () => new Date((ms += 10));
  const start = (name: string, attributes: Record<string, string | number | string[]>, parent?: Span) =>
    tracer.startSpan(name, { attributes, startTime: at() }, parent ? trace.setSpan(context.active(), parent) : undefined);
  const chat = (parent: Span, system: string, input: object[], output: object[], inputTokens: number) =>
    start(
      "chat gpt-4o",
      {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": "openai",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.request.temperature": 0.2,
        "gen_ai.request.max_tokens": 800,
        "gen_ai.usage.input_tokens": inputTokens,
        "gen_ai.usage.output_tokens": 20,
        "gen_ai.tool.definitions": JSON.stringify(TOOLS),
        "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: system }]),
        "gen_ai.input.messages": JSON.stringify(input),
        "gen_ai.output.messages": JSON.stringify(output),
      },
      parent,
    );
  const user = { role: "user", parts: [{ type: "text", content: QUESTION }] };
  const call = { type: "tool_call", id: "call_fetch_7", name: "fetch_report", arguments: { id: 7 } };

  const root = start("invoke_agent planner", { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner" });
  chat(root, "You are a planner.", [user], [{ role: "assistant", parts: [call], finish_reason: "tool_calls" }], 120).end(at());
  start(
    "execute_tool fetch_report",
    {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": "fetch_report",
      "gen_ai.tool.call.id": "call_fetch_7",
      "gen_ai.tool.call.arguments": JSON.stringify({ id: 7 }),
      "gen_ai.tool.call.result": REPORT,
    },
    root,
  ).end(at());
  const writer = start("invoke_agent writer", { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "writer" }, root);
  chat(
    writer,
    "You are a writer.",
    [{ role: "user", parts: [{ type: "text", content: "Draft a summary." }] }],
    [{ role: "assistant", parts: [{ type: "text", content: "Draft: revenue grew." }], finish_reason: "stop" }],
    40,
  ).end(at());
  writer.end(at());
  chat(
    root,
    "You are a planner. Cite your sources.",
    [
      user,
      { role: "assistant", parts: [call] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_fetch_7", response: REPORT }] },
    ],
    [
      {
        role: "assistant",
        parts: [{ type: "text", content: "Revenue grew in every region (report 7)." }],
        finish_reason: "stop",
      },
    ],
    1400,
  ).end(at());
  root.end(at());
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId };
}

describe("a real agent run through the collector", () => {
  let weather: { traceId: string };
  let failing: { traceId: string };
  let research: { traceId: string };
  before(async () => {
    weather = await runGenAiAgent({ endpoint: collector.url, headers: ingestHeaders });
    failing = await runGenAiAgent({ endpoint: collector.url, headers: ingestHeaders, failTool: true });
    research = await runResearchAgent();
  });

  test("the second decision's context shows the tool result added since the first decision", async () => {
    const steps = await stepsOf(weather.traceId);
    const [first, second] = steps.filter((s) => s.kind === "llm");
    assert.ok(first && second);
    const d = await step(weather.traceId, second.spanId);
    assert.deepEqual(
      d.inputMessages.map((m) => [m.role, m.content, m.toolCalls, m.toolCallId]),
      [
        ["system", "You are a weather assistant.", [], null],
        ["user", "What is the weather in Paris?", [], null],
        ["assistant", null, [{ id: "call_weather_1", name: "get_weather", arguments: '{"city":"Paris"}' }], null],
        ["tool", JSON.stringify({ temperature_c: 18, sky: "cloudy" }), [], "call_weather_1"],
      ],
    );
    assert.ok(d.inputMessages.every((m) => m.byteSize > 0 && !m.truncated && m.hash.length === 64));
    assert.deepEqual(
      d.outputMessages.map((m) => [m.role, m.content]),
      [["assistant", "It is 18°C and cloudy in Paris."]],
    );
    assert.equal(d.previous?.spanId, first.spanId);
    assert.equal(d.agent, "weather-agent", "the model call runs in the root agent");
    const diff = d.contextDiff!;
    assert.deepEqual(diff.entries, [
      { change: "unchanged", index: 0 },
      { change: "unchanged", index: 1 },
      { change: "added", index: 2 },
      { change: "added", index: 3 },
    ]);
    assert.deepEqual(diff.addedByRole, { assistant: 1, tool: 1 });
    assert.deepEqual(diff.tokens, { before: 52, after: 88, delta: 36 });
    assert.equal(diff.bytes.delta, d.inputMessages[2]!.byteSize + d.inputMessages[3]!.byteSize);
    assert.equal(diff.systemPrompt.changed, false);

    const firstDetail = await step(weather.traceId, first.spanId);
    assert.equal(firstDetail.previous, null);
    assert.equal(firstDetail.contextDiff?.hasPrevious, false);
    assert.equal(firstDetail.finishReason, "tool_calls");
  });

  test("a tool step: payloads, no messages, no diff", async () => {
    const tool = (await stepsOf(weather.traceId)).find((s) => s.kind === "tool")!;
    const d = await step(weather.traceId, tool.spanId);
    assert.equal(d.step.toolName, "get_weather");
    assert.equal(d.step.toolCallId, "call_weather_1");
    assert.deepEqual(d.input, { text: JSON.stringify({ city: "Paris" }), bytes: 16, fullBytes: null });
    assert.equal(d.output?.text, JSON.stringify({ temperature_c: 18, sky: "cloudy" }));
    assert.deepEqual([d.inputMessages, d.outputMessages, d.contextDiff, d.previous], [[], [], null, null]);
    assert.equal(d.agent, "weather-agent");
  });

  test("a failed tool's exception event is lifted with its type, message and stack", async () => {
    const tool = (await stepsOf(failing.traceId)).find((s) => s.kind === "tool")!;
    const d = await step(failing.traceId, tool.spanId);
    assert.equal(d.step.status, "error");
    assert.equal(d.step.statusMessage, "weather service unavailable");
    const exception = d.events.find((e) => e.name === "exception")?.exception;
    assert.equal(exception?.type, "Error");
    assert.equal(exception?.message, "weather service unavailable");
    assert.match(exception?.stacktrace ?? "", /at .*otel-genai-agent\.ts/);
  });

  test("annotations come back as fields: tools, parameters, finish reason; attributes keep the rest", async () => {
    const llms = (await stepsOf(research.traceId)).filter((s) => s.kind === "llm");
    const d = await step(research.traceId, llms[0]!.spanId);
    assert.deepEqual(d.tools, TOOLS);
    assert.deepEqual(d.parameters, { temperature: 0.2, max_tokens: 800 });
    assert.equal(d.finishReason, "tool_calls");
    assert.ok(!Object.keys(d.attributes).some((k) => k.startsWith("causeway.")), Object.keys(d.attributes).join());
    assert.equal(d.step.model, "gpt-4o");
    assert.equal(d.step.provider, "openai");
  });

  test("the planner's second call is compared with its own first call, not the writer's", async () => {
    const llms = (await stepsOf(research.traceId)).filter((s) => s.kind === "llm");
    assert.equal(llms.length, 3);
    const [a1, w1, a2] = llms as [(typeof llms)[0], (typeof llms)[0], (typeof llms)[0]];
    const writer = await step(research.traceId, w1.spanId);
    assert.equal(writer.agent, "writer");
    assert.equal(writer.previous?.spanId, a1.spanId, "no earlier writer call: the latest call of any agent");

    const d = await step(research.traceId, a2.spanId);
    assert.equal(d.agent, "planner");
    assert.deepEqual(d.previous, {
      spanId: a1.spanId,
      name: "chat gpt-4o",
      startNs: a1.startNs,
      agent: "planner",
      inputTokens: 120,
    });
    const diff = d.contextDiff!;
    assert.deepEqual(
      diff.entries.map((e) => e.change),
      ["rewritten", "unchanged", "added", "added"],
    );
    assert.equal(diff.systemPrompt.changed, true);
    assert.deepEqual(
      diff.systemPrompt.words?.filter((w) => w.op !== "equal"),
      [{ op: "add", text: "Cite your sources." }],
    );
    assert.deepEqual(diff.tokens, { before: 120, after: 1400, delta: 1280 });
  });

  test("truncation is visible: the capped tool result message and payload keep their full sizes", async () => {
    const steps = await stepsOf(research.traceId);
    const fullBytes = Buffer.byteLength(REPORT);
    const a2 = steps.filter((s) => s.kind === "llm")[2]!;
    const d = await step(research.traceId, a2.spanId);
    const result = d.inputMessages[3]!;
    assert.equal(result.role, "tool");
    assert.equal(result.truncated, true);
    assert.deepEqual(result.cuts, [{ path: "content", bytes: fullBytes }]);
    assert.ok(typeof result.content === "string" && result.content.endsWith("…[truncated]"));
    assert.ok(result.byteSize < MAX_VALUE_BYTES + 200);
    assert.ok(d.truncated.some((c) => c.path === "input_messages[3].content" && c.bytes === fullBytes));

    const tool = steps.find((s) => s.kind === "tool")!;
    const t = await step(research.traceId, tool.spanId);
    assert.equal(t.output?.fullBytes, fullBytes);
    assert.ok(t.output!.bytes <= MAX_VALUE_BYTES + 20 && t.output!.text.endsWith("…[truncated]"));
    assert.deepEqual(t.truncated, [{ path: "output", bytes: fullBytes }]);
  });

  test("the context series: one point per model call with messages, bytes, tokens and agent", async () => {
    const res = await get(routes.context, { runId: research.traceId });
    assert.equal(res.status, 200);
    const series = contextSeries.parse(await res.json());
    const llms = (await stepsOf(research.traceId)).filter((s) => s.kind === "llm");
    assert.deepEqual(
      series.points.map((p) => [p.spanId, p.agentName, p.messageCount, p.inputTokens]),
      llms.map((s, i) => [s.spanId, ["planner", "writer", "planner"][i], [2, 2, 4][i], [120, 40, 1400][i]]),
    );
    for (const p of series.points) {
      const d = await step(research.traceId, p.spanId);
      assert.equal(
        p.bytes,
        d.inputMessages.reduce((n, m) => n + m.byteSize, 0),
        "bytes = sum of the messages' stored sizes",
      );
      assert.equal(p.startNs, d.step.startNs);
    }
  });

  test("the run route still carries no bodies", async () => {
    const res = await get(routes.run, { runId: research.traceId });
    const text = await res.text();
    for (const body of ["You are a planner", QUESTION, "Line 1: revenue", "Revenue grew", '"temperature"'])
      assert.ok(!text.includes(body), `run detail leaks ${body}`);
    const steps = runDetailResponse.parse(JSON.parse(text)).steps;
    for (const s of steps) for (const k of ["inputMessages", "input", "output", "attributes", "events"]) assert.ok(!(k in s));
  });

  test("bad ids get a 404 that says what is wrong", async () => {
    const missing = async (route: Handler, params: Record<string, string>, message: RegExp) => {
      const res = await get(route, params);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, message);
    };
    const known = (await stepsOf(weather.traceId))[0]!.spanId;
    await missing(routes.step, { runId: "not-a-run", spanId: known }, /32-character hex trace id/);
    await missing(routes.step, { runId: weather.traceId, spanId: "zz" }, /16-character hex span id/);
    await missing(routes.step, { runId: "f".repeat(32), spanId: known }, /^Run not found\.$/);
    await missing(routes.step, { runId: weather.traceId, spanId: "0123456789abcdef" }, /Step 0123456789abcdef not found in run/);
    await missing(routes.context, { runId: "f".repeat(32) }, /^Run not found\.$/);
    await missing(routes.context, { runId: "xyz" }, /32-character hex trace id/);
    assert.equal((await step(weather.traceId.toUpperCase(), known.toUpperCase())).step.spanId, known, "ids are case-insensitive");
  });
});

describe("a run with 10k model calls", () => {
  const runId = "c0ffee".padEnd(32, "0");
  const N = 10_000;
  const WINDOW = 50;
  before(async () => {
    const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
    await sql.query(`INSERT INTO runs (project_id, id, started_at, last_activity_at) VALUES ($1, $2, now(), now())`, [
      project.id,
      runId,
    ]);
    // A sliding window of 50 messages per call: 500k context entries over 10,049 distinct messages.
    await sql.query(
      `INSERT INTO messages (project_id, hash, role, content, byte_size)
       SELECT $1, encode(sha256(('m'||i)::bytea), 'hex'), 'user', jsonb_build_object('role', 'user', 'content', 'message '||i), 30 + i % 100
       FROM generate_series(0, $2::int + $3::int) i`,
      [project.id, N, WINDOW],
    );
    await sql.query(
      // Context count and bytes as the collector stores them (summed at ingest).
      `INSERT INTO steps (project_id, run_id, span_id, kind, name, start_ns, context_hashes, context_count, context_bytes, input_tokens)
       SELECT $1, $2, lpad(to_hex(i), 16, '0'), 'llm', 'chat', 1000 + i,
              ARRAY(SELECT encode(sha256(('m'||j)::bytea), 'hex') FROM generate_series(i, i + $4::int - 1) j), $4::int,
              (SELECT sum(30 + j % 100) FROM generate_series(i, i + $4::int - 1) j), 100 + i
       FROM generate_series(1, $3::int) i`,
      [project.id, runId, N, WINDOW],
    );
    await sql.query(`ANALYZE steps; ANALYZE messages`);
  });

  test("the context series and a step's detail stay fast", async (t) => {
    let started = performance.now();
    const res = await get(routes.context, { runId });
    const seriesMs = performance.now() - started;
    const series = contextSeries.parse(await res.json());
    assert.equal(series.points.length, N);
    const last = series.points.at(-1)!;
    assert.equal(last.messageCount, WINDOW);
    let expected = 0;
    for (let j = N; j < N + WINDOW; j++) expected += 30 + (j % 100);
    assert.equal(last.bytes, expected);

    started = performance.now();
    const d = await step(runId, N.toString(16).padStart(16, "0"));
    const stepMs = performance.now() - started;
    assert.deepEqual(d.contextDiff?.counts, { unchanged: WINDOW - 1, added: 1, removed: 1, rewritten: 0, truncated: 0 });
    t.diagnostic(
      `${tdb.mode}: context series of ${N} calls in ${seriesMs.toFixed(0)} ms; step detail in ${stepMs.toFixed(0)} ms`,
    );
    assert.ok(seriesMs < 5000, `series took ${seriesMs} ms`);
    assert.ok(stepMs < 1000, `step detail took ${stepMs} ms`);
  });
});
