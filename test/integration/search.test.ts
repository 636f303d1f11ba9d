import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { context, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { searchErrorBody, searchPage, suggestResponse, type SearchPage } from "@/lib/api/search-schemas";
import { errorBody } from "@/lib/api/schemas";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";

/**
 * Drift search end to end: runs produced by the OpenTelemetry SDK, sent as OTLP to a real
 * collector whose drift stage finds the drift points, then searched through the route handlers.
 */
const ADMIN_TOKEN = "search-test-admin-token-0123";
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let headers: Record<string, string>;
type Handler = (req: Request) => Promise<Response>;
let searchRoute: Handler;
let suggestRoute: Handler;

/** A GenAI-convention agent: each step asks the model (which sees the question) and runs the tool it chose. */
class Agent {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly root: Span;
  readonly toolSpanIds: string[] = [];
  readonly chatSpanIds: string[] = [];
  private turn = 0;
  private clock = Date.now() - 60_000; // the agent's clock: steps take time, so their order is clear

  constructor(
    serviceName: string,
    private readonly question: string,
    private readonly model = "gpt-4o",
    conversationId?: string,
  ) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName, "service.instance.id": `${serviceName}-1` }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers }))],
    });
    this.tracer = this.provider.getTracer(serviceName, "1.0.0");
    this.root = this.tracer.startSpan(`invoke_agent ${serviceName}`, {
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": serviceName,
        ...(conversationId ? { "gen_ai.conversation.id": conversationId } : {}),
      },
      startTime: this.clock,
    });
  }

  get runId(): string {
    return this.root.spanContext().traceId;
  }

  async call(tool: string, args: Record<string, unknown>, result: unknown, fail = false): Promise<void> {
    const id = `call_${++this.turn}`;
    const chat = this.step(`chat ${this.model}`, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": this.model,
      "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: this.question }] }]),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "tool_call", id, name: tool, arguments: args }], finish_reason: "tool_call" },
      ]),
    });
    this.chatSpanIds.push(chat.spanContext().spanId);
    const span = this.step(
      `execute_tool ${tool}`,
      {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": tool,
        "gen_ai.tool.call.id": id,
        "gen_ai.tool.call.arguments": JSON.stringify(args),
        "gen_ai.tool.call.result": JSON.stringify(result),
      },
      fail,
    );
    this.toolSpanIds.push(span.spanContext().spanId);
    await this.provider.forceFlush();
  }

  async finish(failed = false): Promise<void> {
    if (failed) this.root.setStatus({ code: SpanStatusCode.ERROR, message: "gave up" });
    this.root.end((this.clock += 5));
    await this.provider.forceFlush();
    await this.provider.shutdown();
  }

  private step(name: string, attributes: Record<string, string>, fail = false): Span {
    const span = this.tracer.startSpan(
      name,
      { attributes, startTime: (this.clock += 5) },
      trace.setSpan(context.active(), this.root),
    );
    if (fail) span.setStatus({ code: SpanStatusCode.ERROR, message: "timeout" });
    span.end((this.clock += 200));
    return span;
  }
}

/** The runs: A loops (high), B fails in a cascade, C is healthy and sends an email, D and E loop (medium). */
const runs: Record<"A" | "B" | "C" | "D" | "E", Agent> = {} as never;

before(async () => {
  tdb = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: tdb.url,
    CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    CAUSEWAY_PUBLIC_URL: "http://localhost:3000",
  });
  db = createPrisma(tdb.url, { max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  headers = {
    authorization: `Bearer ${(await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] })).key}`,
  };
  collector = await startCollector(tdb.url);
  searchRoute = ((await import("@/app/api/v1/search/route")) as { GET: Handler }).GET;
  suggestRoute = ((await import("@/app/api/v1/search/suggest/route")) as { GET: Handler }).GET;

  // Drift points are ordered by when they were found: each run's is awaited before the next run starts.
  runs.A = new Agent("support-bot", "What is your refund policy for order A-77123?");
  await runs.A.call("lookup_order", { order: "A-77123" }, { status: "delivered" });
  for (let i = 0; i < 5; i++) await runs.A.call("search_web", { q: "refund policy" }, { results: [] });
  await runs.A.finish();
  await settled(runs.A, "high");
  runs.B = new Agent("billing-bot", "Why was invoice INV-5521 charged twice?", "gpt-4o-mini");
  for (let i = 0; i < 3; i++) await runs.B.call("fetch_invoice", { invoice: "INV-5521" }, { error: "timeout" }, true);
  await runs.B.finish(true);
  await settled(runs.B, "medium");
  runs.C = new Agent("support-bot", "Please email me the shipping label for order B-2024", "gpt-4o", "conv-search-1");
  await runs.C.call("lookup_order", { order: "B-2024" }, { status: "shipped" });
  await runs.C.call("send_email", { to: "customer" }, { sent: true });
  await runs.C.finish();
  await settled(runs.C, null);
  runs.D = new Agent("support-bot", "Is there a refund window?");
  for (let i = 0; i < 3; i++) await runs.D.call("search_web", { q: "refund window" }, { results: [] });
  await runs.D.finish();
  await settled(runs.D, "medium");
  runs.E = new Agent("research-lead", "Summarize battery recycling research");
  for (let i = 0; i < 4; i++) await runs.E.call("search_web", { q: "battery recycling" }, { results: [] });
  await runs.E.finish();
  await settled(runs.E, "medium");
});

/** The run has ended and has its one drift point, of this severity (or none). */
async function settled(agent: Agent, severity: "medium" | "high" | null): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const run = await db.run.findFirst({ where: { id: agent.runId } });
    const points = await db.driftPoint.findMany({ where: { runId: agent.runId } });
    if (run && run.status !== "live" && points.length === (severity ? 1 : 0) && (points[0]?.severity ?? null) === severity)
      return;
    if (Date.now() > deadline)
      assert.fail(`run ${agent.runId}: ${run?.status}, drift ${JSON.stringify(points.map((p) => p.severity))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

async function get(route: Handler, path: string, params: Record<string, string>): Promise<Response> {
  const url = `http://localhost:3000/api/v1/${path}?${new URLSearchParams(params)}`;
  return route(new Request(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
}

async function search(q: string, extra: Record<string, string> = {}): Promise<SearchPage> {
  const res = await get(searchRoute, "search", { q, ...extra });
  if (res.status !== 200) assert.fail(`${q}: ${res.status} ${await res.text()}`);
  return searchPage.parse(await res.json());
}

/** Which runs (by letter) the results are in, in order. */
async function found(q: string): Promise<string> {
  const letter = new Map(Object.entries(runs).map(([k, a]) => [a.runId, k]));
  return (await search(q)).results.map((r) => letter.get(r.runId) ?? "?").join("");
}

describe("drift points", () => {
  test("by detector, newest first, each linking to replay at its step", async () => {
    const page = await search("drift:loop");
    assert.equal(page.mode, "drift");
    assert.equal(await found("drift:loop"), "EDA");
    const a = page.results.find((r) => r.runId === runs.A.runId)!;
    assert.equal(a.spanId, runs.A.toolSpanIds[3], "the third identical search_web call");
    assert.equal(a.href, `/runs/${runs.A.runId}?step=${runs.A.toolSpanIds[3]}`);
    assert.deepEqual([a.detector, a.severity, a.agent, a.stepName], ["loop", "high", "support-bot", "search_web"]);
    assert.match(a.summary, /^search_web called 5× with \{q: 'refund policy'\}/);
  });

  test("severity comparisons, agents, status, negation, run id, has:", async () => {
    assert.equal(await found("drift:loop severity>=high"), "A");
    assert.equal(await found("severity:medium"), "EDB");
    assert.equal(await found("severity>high"), "");
    assert.equal(await found("agent:support-*"), "DA");
    assert.equal(await found("agent:billing-bot drift:error_cascade status:error"), "B");
    assert.equal(await found("has:error"), "B");
    assert.equal(await found("drift:loop -agent:support-bot"), "E");
    assert.equal(await found(`run:${runs.D.runId.slice(0, 10)}`), "D");
    assert.equal(await found(`run:${runs.D.runId}`), "D");
  });

  test("tools, models, words and dates narrow them by their run", async () => {
    assert.equal(await found("drift:loop tool:lookup_order"), "A");
    assert.equal(await found("drift:error_cascade model:gpt-4o-mini"), "B");
    assert.equal(await found('drift:loop "refund policy"'), "A");
    assert.equal(await found("drift:loop refund"), "DA");
    assert.equal(await found("has:drift refu*"), "DA");
    assert.equal(await found("drift:loop after:1h"), "EDA");
    assert.equal(await found("drift:loop before:2020-01-01"), "");
    assert.equal(await found("after:2999-01-01"), "");
  });
});

describe("runs at their first matching step", () => {
  test("by tool, model and status", async () => {
    const page = await search("tool:send_email");
    assert.equal(page.mode, "steps");
    assert.equal(await found("tool:send_email"), "C");
    assert.equal(page.results[0]!.href, `/runs/${runs.C.runId}?step=${runs.C.toolSpanIds[1]}`);
    assert.equal(page.results[0]!.summary, "called send_email");
    assert.equal(await found("tool:search_web"), "EDA");
    assert.equal(await found("tool:fetch_invoice status:error"), "B");
    assert.equal(await found("model:gpt-4o-mini"), "B");
    assert.equal(await found("session:conv-search-1 tool:send_*"), "C");
    assert.equal(await found("tool:search_web -drift:loop"), "");
    assert.equal(await found("tool:lookup_order -tool:send_email"), "A");
  });

  test("free text finds what the models saw, at the first step that saw it", async () => {
    const [decision] = (await search("A-77123")).results;
    assert.equal(await found("A-77123"), "A");
    assert.equal(decision?.spanId, runs.A.chatSpanIds[0], "the first model call: asked about it, and decided to look it up");
    assert.equal(decision?.matched?.role, "assistant", "its own output (the lookup_order call) comes first");
    const [question] = (await search('"refund policy"')).results;
    assert.equal(question?.spanId, runs.A.chatSpanIds[0]);
    assert.equal(question?.matched?.role, "user");
    assert.match(question?.summary ?? "", /^user: What is your refund policy for order A-77123\?$/);
    assert.equal(await found('"shipping label"'), "C");
    assert.equal(await found("INV-5521 twice"), "B");
    assert.equal(await found("battery recycling"), "E", "also in the tool call's arguments");
    assert.equal(await found("refund -window"), "A");
    assert.equal(await found('"label shipping"'), "", "a phrase keeps its word order");
    assert.equal(await found("zebra"), "");
  });
});

test("pages follow each other with the cursor and never repeat", async () => {
  for (const [q, all] of [
    ["drift:loop", "EDA"],
    ["tool:search_web", "EDA"],
  ] as const) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: SearchPage = await search(q, { limit: "1", ...(cursor ? { cursor } : {}) });
      seen.push(...page.results.map((r) => r.runId));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(
      seen,
      [...all].map((k) => runs[k as "A"].runId),
      q,
    );
  }
  const drift = await search("drift:loop", { limit: "1" });
  const mixed = await get(searchRoute, "search", { q: "tool:search_web", cursor: drift.nextCursor! });
  assert.equal(mixed.status, 400, "a cursor of another query shape");
  assert.equal((await get(searchRoute, "search", { q: "drift:loop", cursor: "garbage" })).status, 400);
});

test("a bad token is a 400 that names it and where it is", async () => {
  const res = await get(searchRoute, "search", { q: "drift:loop sevrity>=high" });
  assert.equal(res.status, 400);
  const body: unknown = await res.json();
  assert.ok(errorBody.safeParse(body).success, "the usual error body");
  const { error } = searchErrorBody.parse(body);
  assert.equal(error.code, "bad_request");
  assert.match(error.message, /^Unknown key "sevrity" at 11–18; did you mean "severity"\?/);
  assert.deepEqual(error.position, { start: 11, end: 18 });
});

test("injection attempts are a clean 400 or a harmless search", async () => {
  const attempts = [
    "'; DROP TABLE runs; --",
    `"'; DROP TABLE runs; --"`,
    `agent:"x' OR '1'='1"`,
    `session:"a'); DELETE FROM steps; --"`,
    "tool:send_email'--",
    "model:$1",
    "run:' OR 1=1 --",
    `"\\"\\\\\\"" nested`,
    `"${'\\"'.repeat(100)}"`,
    "status:error;DROP",
    "drift:loop\u0000",
    "agent:%_%",
    "tool:*",
    "Ω≈ç√∫˜µ≤≥÷ 東京 🚀 \u202eevil",
    "x".repeat(5000),
    Array.from({ length: 200 }, (_, i) => `w${i}`).join(" "),
    "after:2026-11-01'; SELECT pg_sleep(10); --",
    "refund:* | !x",
    "refu* & !x <-> y",
  ];
  for (const q of attempts) {
    const res = await get(searchRoute, "search", { q });
    const body: unknown = await res.json();
    if (res.status === 400) {
      const { error } = searchErrorBody.parse(body);
      if (error.position) assert.ok(error.position.start >= 0 && error.position.end <= q.length, q);
    } else {
      assert.equal(res.status, 200, `${q}: ${JSON.stringify(body)}`);
      searchPage.parse(body);
    }
  }
  assert.equal(await db.run.count(), 5, "runs are all still there");
  assert.ok((await db.step.count()) > 20);
  assert.equal(await found("drift:loop"), "EDA");
});

test("autocomplete offers keys, and values known from the data", async () => {
  const suggest = async (q: string, cursor = q.length) => {
    const res = await get(suggestRoute, "search/suggest", { q, cursor: String(cursor) });
    assert.equal(res.status, 200);
    return suggestResponse.parse(await res.json());
  };
  assert.deepEqual(
    (await suggest("sev")).suggestions.map((s) => s.insert),
    ["severity:"],
  );
  const tools = await suggest("drift:loop tool:se");
  assert.deepEqual([tools.from, tools.to], [16, 18]);
  assert.deepEqual(
    tools.suggestions.map((s) => s.label),
    ["search_web", "send_email"],
  );
  assert.deepEqual(
    (await suggest("agent:")).suggestions.map((s) => s.label),
    ["billing-bot", "research-lead", "support-bot"],
  );
  assert.deepEqual(
    (await suggest("model:gpt")).suggestions.map((s) => s.label),
    ["gpt-4o", "gpt-4o-mini"],
  );
  assert.deepEqual(
    (await suggest("drift:l")).suggestions.map((s) => s.label),
    ["loop", "policy"],
    "starting with it, then containing it",
  );
  assert.deepEqual(
    (await suggest("session:conv")).suggestions.map((s) => s.label),
    ["conv-search-1"],
  );
  assert.deepEqual((await suggest('"refund po')).suggestions, []);
});
