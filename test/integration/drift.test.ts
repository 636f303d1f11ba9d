import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { context, SpanKind, trace, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { parseDriftConfig } from "@/lib/drift/config";
import { DETECTOR_LIST } from "@/lib/drift/registry";
import { RUNS_CHANNEL, parseRunsChanged } from "@/lib/live/channels";
import { createLogger } from "@/lib/log";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createDriftStage } from "@/collector/drift/stage";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { runGenAiAgent } from "@/test/producers/otel-genai-agent";

/**
 * Drift detection end to end: a real collector process, real OTLP from the
 * OpenTelemetry SDK, drift points flagged while the run is still live.
 */
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let headers: Record<string, string>;

before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 2 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const { key } = await createApiKey(db, { projectId: project.id, name: "ingest", scopes: ["ingest"] });
  headers = { authorization: `Bearer ${key}` };
  // Baselines are re-read on every evaluation, so the egress test's history counts at once.
  collector = await startCollector(tdb.url, { CAUSEWAY_DRIFT_THRESHOLDS: JSON.stringify({ baseline: { cacheMs: 0 } }) });
});
after(async () => {
  await collector?.stop();
  await db?.$disconnect();
  await tdb?.close();
});

/**
 * A hand-written support agent instrumented with the GenAI conventions: the root span
 * stays open while it works (the run is live), each decision and tool call is exported
 * as it ends (SimpleSpanProcessor: one request per span, as agents in production do).
 */
class SupportAgent {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  readonly root: Span;
  readonly toolSpanIds: string[] = [];
  private turn = 0;
  /**
   * The agent's clock: model calls and tools take time in real agents. Here they would take microseconds, and
   * the SDK's millisecond start times would tie (the run's step order would be arbitrary).
   */
  private clock = Date.now() - 60_000;

  constructor(serviceName = "support-bot") {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName, "service.instance.id": `${serviceName}-1` }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers }))],
    });
    this.tracer = this.provider.getTracer("support-bot", "1.0.0");
    this.root = this.tracer.startSpan("invoke_agent support-bot", {
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-bot" },
      startTime: this.clock,
    });
  }

  get runId(): string {
    return this.root.spanContext().traceId;
  }

  /** The model decides to call `tool` with `args`; the tool runs and returns `result`. */
  async call(tool: string, args: Record<string, unknown>, result: unknown): Promise<void> {
    const id = `call_${++this.turn}`;
    this.step("chat gpt-4o", 800, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 300 + this.turn * 40,
      "gen_ai.usage.output_tokens": 18,
      "gen_ai.input.messages": JSON.stringify([
        { role: "user", parts: [{ type: "text", content: "What is your refund policy?" }] },
      ]),
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "tool_call", id, name: tool, arguments: args }], finish_reason: "tool_call" },
      ]),
    });
    const toolSpan = this.step(`execute_tool ${tool}`, 150, {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": tool,
      "gen_ai.tool.call.id": id,
      "gen_ai.tool.call.arguments": JSON.stringify(args),
      "gen_ai.tool.call.result": JSON.stringify(result),
    });
    this.toolSpanIds.push(toolSpan.spanContext().spanId);
    await this.provider.forceFlush();
  }

  /** An HTTP call, as the agent's HTTP client instrumentation records it. */
  async http(url: string): Promise<void> {
    const attributes = { "http.request.method": "GET", "url.full": url, "server.address": new URL(url).hostname };
    this.step("GET", 80, attributes, SpanKind.CLIENT);
    await this.provider.forceFlush();
  }

  async finish(): Promise<void> {
    this.root.end((this.clock += 5));
    await this.provider.forceFlush();
    await this.provider.shutdown();
  }

  /** A child of the root that took `ms` on the agent's clock, ended (and so exported) at once. */
  private step(name: string, ms: number, attributes: Record<string, string | number>, kind = SpanKind.INTERNAL): Span {
    const startTime = (this.clock += 5);
    const span = this.tracer.startSpan(name, { kind, attributes, startTime }, trace.setSpan(context.active(), this.root));
    span.end((this.clock += ms));
    return span;
  }
}

type DriftRow = { spanId: string; detector: string; severity: string; summary: string; evidence: Record<string, unknown> };

async function driftPoints(runId: string): Promise<DriftRow[]> {
  const rows = await db.driftPoint.findMany({ where: { runId }, orderBy: { id: "asc" } });
  return rows.map((r) => ({ ...r, evidence: r.evidence as Record<string, unknown> }));
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      assert.fail(
        `${what}: not within ${timeoutMs} ms, last ${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

const NO_HITS = { results: [], note: "no page mentions a refund window" };

test("a looping live run is flagged at the third identical call, while it runs, and the finding grows with the loop", async () => {
  const agent = new SupportAgent();
  await agent.call("lookup_order", { orderId: "A-1001" }, { status: "delivered" });
  await agent.call("search_web", { q: "refund policy" }, NO_HITS);
  await agent.call("search_web", { q: "refund policy" }, NO_HITS);
  // Two identical calls are not a loop: the evaluation of those spans finds nothing.
  await waitFor(
    "steps stored",
    () => db.step.count({ where: { runId: agent.runId } }),
    (n) => n === 6,
  );
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(await driftPoints(agent.runId), []);

  await agent.call("search_web", { q: "refund policy" }, NO_HITS);
  const [loop, ...others] = await waitFor(
    "loop drift point",
    () => driftPoints(agent.runId),
    (d) => d.length > 0,
  );
  assert.equal(others.length, 0);
  assert.equal(loop!.detector, "loop");
  assert.equal(loop!.spanId, agent.toolSpanIds[3], "at the third search_web call");
  assert.equal(loop!.severity, "medium");
  assert.equal(loop!.summary, "search_web called 3× with {q: 'refund policy'} at steps 4–8, same result each time");
  assert.deepEqual(loop!.evidence.spanIds, agent.toolSpanIds.slice(1));
  assert.equal(loop!.evidence.count, 3);
  const run = await db.run.findUniqueOrThrow({ where: { projectId_id: { projectId: (await project()).id, id: agent.runId } } });
  assert.equal(run.status, "live", "flagged while the run is live");
  assert.equal(run.driftCount, 1);
  assert.equal(run.maxDriftSeverity, "medium");

  await agent.call("search_web", { q: "refund policy" }, NO_HITS);
  await agent.call("search_web", { q: "refund policy" }, NO_HITS);
  const [grown] = await waitFor(
    "the loop's count",
    () => driftPoints(agent.runId),
    (d) => d[0]?.evidence.count === 5,
  );
  assert.equal(grown!.spanId, loop!.spanId, "the same drift point, updated");
  assert.equal(grown!.severity, "high");
  assert.match(grown!.summary, /^search_web called 5× with \{q: 'refund policy'\} at steps 4–12/);

  await agent.finish();
  const ended = await waitFor(
    "run ended",
    () => db.run.findFirstOrThrow({ where: { id: agent.runId } }),
    (r) => r.status !== "live",
  );
  assert.equal(ended.driftCount, 1);
  assert.equal(ended.maxDriftSeverity, "high");
});

test("a healthy run, a retry that succeeds and a polling tool have no drift", async () => {
  const { traceId } = await runGenAiAgent({ endpoint: collector.url, headers, serviceName: "weather-agent" });
  const agent = new SupportAgent("billing-bot");
  await agent.call("fetch_invoice", { invoiceId: "INV-1" }, { error: "timeout" });
  await agent.call("fetch_invoice", { invoiceId: "INV-1" }, { total: 211.6 });
  await agent.call("start_export", { table: "orders" }, { jobId: "job-7" });
  for (const progress of [10, 40, 70, 100]) await agent.call("check_status", { jobId: "job-7" }, { state: "running", progress });
  await agent.finish();
  for (const runId of [traceId, agent.runId])
    await waitFor(
      "run ended",
      () => db.run.findFirstOrThrow({ where: { id: runId } }),
      (r) => r.status !== "live",
    );
  await new Promise((r) => setTimeout(r, 400));
  assert.deepEqual(await driftPoints(traceId), []);
  assert.deepEqual(await driftPoints(agent.runId), []);
});

test("a host never seen for an agent with a history is new egress; its first runs only teach it", async () => {
  for (let i = 0; i < 5; i++) {
    const usual = new SupportAgent("egress-bot");
    await usual.http("https://api.weather.example/v1/paris");
    await usual.call("get_weather", { city: "Paris" }, { c: 18 });
    await usual.finish();
    await waitFor(
      "run ended",
      () => db.run.findFirstOrThrow({ where: { id: usual.runId } }),
      (r) => r.status === "ok",
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await driftPoints(usual.runId), [], "learning: no egress drift");
  }
  const agent = new SupportAgent("egress-bot");
  await agent.http("https://api.weather.example/v1/paris");
  await agent.http("https://paste.example/upload");
  const [egress] = await waitFor(
    "new egress",
    () => driftPoints(agent.runId),
    (d) => d.length > 0,
  );
  assert.equal(egress!.detector, "new_egress");
  assert.equal(egress!.summary, "first call to paste.example by this agent at step 2");
  assert.equal(egress!.evidence.url, "https://paste.example/upload");
  await agent.finish();
});

test("the stage keeps stored drift equal to the findings, fixes run aggregates and notifies live views only on change", async () => {
  const agent = new SupportAgent("stage-bot");
  for (let i = 0; i < 3; i++) await agent.call("search_web", { q: "same" }, NO_HITS);
  await agent.finish();
  const [loop] = await waitFor(
    "loop drift point",
    () => driftPoints(agent.runId),
    (d) => d.length === 1,
  );
  const { id: projectId } = await project();
  // Simulate stale state: a finding the data does not support, and wrong aggregates.
  await db.driftPoint.create({
    data: {
      projectId,
      runId: agent.runId,
      spanId: agent.toolSpanIds[0]!,
      detector: "budget",
      severity: "critical",
      summary: "stale",
    },
  });
  await db.run.update({
    where: { projectId_id: { projectId, id: agent.runId } },
    data: { driftCount: 7, maxDriftSeverity: "critical" },
  });

  const pool = new pg.Pool({ connectionString: tdb.url, max: 2 });
  const listener = new pg.Client({ connectionString: tdb.url });
  await listener.connect();
  const notified: string[] = [];
  listener.on("notification", (n) => notified.push(...parseRunsChanged(n.payload ?? "").map((r) => r.runId)));
  await listener.query(`LISTEN ${RUNS_CHANNEL}`);
  const stage = createDriftStage(pool, {
    config: parseDriftConfig(),
    detectors: DETECTOR_LIST,
    policies: null,
    debounceMs: 0,
    log: createLogger("test", "error"),
  });
  try {
    stage.runsChanged([{ projectId, runId: agent.runId }]);
    await waitFor(
      "notification",
      async () => notified,
      (n) => n.includes(agent.runId),
    );
    const after = await driftPoints(agent.runId);
    assert.deepEqual(
      after.map((d) => [d.spanId, d.detector]),
      [[loop!.spanId, "loop"]],
    );
    const run = await db.run.findUniqueOrThrow({ where: { projectId_id: { projectId, id: agent.runId } } });
    assert.deepEqual([run.driftCount, run.maxDriftSeverity], [1, "medium"]);

    notified.length = 0;
    stage.runsChanged([{ projectId, runId: agent.runId }]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(notified, [], "nothing changed, nothing to refresh");
  } finally {
    await stage.close();
    await listener.end();
    await pool.end();
  }
});

async function project() {
  return db.project.findUniqueOrThrow({ where: { slug: "default" } });
}
