import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { context, trace, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { connectControl, RunKilledError, type ControlClient } from "@/lib/agent";
import { policyList, policyResult, putPolicyResult } from "@/lib/api/policy-schemas";
import { runDrift } from "@/lib/api/drift-schemas";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { savePolicy } from "@/lib/server/repositories/policies";
import { runtimePolicy } from "@/lib/policy/schema";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { makeCallers, ORIGIN, runControl, until, webEnvFor, type Callers } from "@/test/helpers/control";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

/**
 * Runtime policies end to end: policies saved through the REST routes (and one from
 * CAUSEWAY_POLICY_FILE), a real collector running the drift detectors, and real agents
 * exporting OTLP and holding the real control client — a policy pauses or kills a
 * looping agent at its checkpoint, and the run's control history names the policy.
 */
let tdb: TestDatabase;
let db: Db;
let collector: RunningCollector;
let callers: Callers;
let keys: Record<string, string>;
let projectId: string;
const clients: ControlClient[] = [];
const policyFilePath = path.join(mkdtempSync(path.join(tmpdir(), "causeway-policies-")), "policies.json");
const LOOP_MEDIUM = (action: string) => ({ actions: [{ detector: "loop", minSeverity: "medium", action }] });

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(mod: string, method: string, caller: string, params: Record<string, string> = {}, body?: unknown) {
  const route = (await import(`@/app/api/v1/${mod}/route`)) as Record<string, Handler>;
  const url = `${ORIGIN}/api/v1/${mod.replace(/\[(\w+)\]/g, (_, k: string) => encodeURIComponent(params[k] ?? k))}`;
  const req = new Request(url, {
    method,
    headers: { ...callers[caller], ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const res = await route[method]!(req, { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const putPolicy = (agent: string, body: unknown, caller = "operator") => call("policies/[agent]", "PUT", caller, { agent }, body);
const errorOf = (body: Record<string, unknown>) => (body.error as { message: string }).message;

before(async () => {
  tdb = await createTestDatabase();
  webEnvFor(tdb.url);
  db = createPrisma(tdb.url, { max: 3 });
  projectId = (await db.project.findUniqueOrThrow({ where: { slug: "default" } })).id;
  ({ callers, keys } = await makeCallers(db, projectId));
  // Set before the collector starts, so its first read of the project's policies has them.
  for (const [agent, action] of [
    ["pause-bot", "pause"],
    ["record-bot", "record"],
  ] as const)
    assert.equal((await putPolicy(agent, LOOP_MEDIUM(action))).status, 201);
  // A UI policy for an agent the file names: the file wins at start-up.
  await savePolicy(db, projectId, "kill-bot", runtimePolicy.parse(LOOP_MEDIUM("record")), "someone");
  writeFileSync(policyFilePath, JSON.stringify({ agents: { "kill-bot": LOOP_MEDIUM("kill") } }));
  collector = await startCollector(tdb.url, {
    CAUSEWAY_POLICY_FILE: policyFilePath,
    CAUSEWAY_CONTROL_HEARTBEAT_MS: "300",
    CAUSEWAY_CONTROL_RECHECK_MS: "1000",
  });
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await collector?.stop();
  await db?.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb?.close();
});

/**
 * A hand-written agent instrumented with the GenAI conventions: the root span stays
 * open (the run is live), each model call and tool call is exported as it ends, and
 * the control client is asked before each step, as the README shows.
 */
class LoopingAgent {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  readonly root: Span;
  control!: ControlClient;
  private turn = 0;
  private clock = Date.now() - 60_000; // distinct start times, so the step order is certain

  constructor(readonly serviceName: string) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName, "service.instance.id": `${serviceName}-1` }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: { authorization: `Bearer ${keys.agentKey}` } }),
        ),
      ],
    });
    this.tracer = this.provider.getTracer(serviceName);
    this.root = this.tracer.startSpan(`invoke_agent ${serviceName}`, {
      attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": serviceName },
      startTime: this.clock,
    });
  }

  get runId(): string {
    return this.root.spanContext().traceId;
  }

  async connect(): Promise<this> {
    this.control = await connectControl({
      endpoint: collector.url,
      apiKey: keys.agentKey!,
      runId: this.runId,
      serviceName: this.serviceName,
      backoff: { baseMs: 50, maxMs: 500 },
      onError: () => {},
    });
    clients.push(this.control);
    await until(() => this.control.connected, "the control stream");
    return this;
  }

  /** One decision and its tool call, each after a checkpoint. */
  async call(tool: string, args: Record<string, unknown>, result: unknown): Promise<void> {
    const id = `call_${++this.turn}`;
    await this.control.checkpoint();
    this.step("chat gpt-4o", 800, {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.usage.input_tokens": 300 + this.turn * 40,
      "gen_ai.usage.output_tokens": 18,
      "gen_ai.output.messages": JSON.stringify([
        { role: "assistant", parts: [{ type: "tool_call", id, name: tool, arguments: args }], finish_reason: "tool_call" },
      ]),
    });
    await this.control.checkpoint();
    this.step(`execute_tool ${tool}`, 150, {
      "gen_ai.operation.name": "execute_tool",
      "gen_ai.tool.name": tool,
      "gen_ai.tool.call.id": id,
      "gen_ai.tool.call.arguments": JSON.stringify(args),
      "gen_ai.tool.call.result": JSON.stringify(result),
    });
    await this.provider.forceFlush();
  }

  async search(): Promise<void> {
    await this.call("search_web", { q: "refund policy" }, { results: [] });
  }

  async finish(): Promise<void> {
    this.root.end((this.clock += 5));
    await this.provider.forceFlush();
    await this.provider.shutdown();
  }

  private step(name: string, ms: number, attributes: Record<string, string | number>): void {
    const startTime = (this.clock += 5);
    const span = this.tracer.startSpan(name, { attributes, startTime }, trace.setSpan(context.active(), this.root));
    span.end((this.clock += ms));
  }
}

/** Resolves true if the promise settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);

async function loopDrift(runId: string, severity: "medium" | "high" = "medium") {
  await until(
    async () => (await db.driftPoint.findFirst({ where: { runId, detector: "loop", severity } })) !== null,
    `a ${severity} loop drift point`,
  );
}

describe("policies act on live runs through live control", () => {
  test("pause for loop ≥ medium: the agent waits at its checkpoint after the third identical call", async () => {
    const agent = await new LoopingAgent("pause-bot").connect();
    await agent.call("lookup_order", { orderId: "A-1001" }, { status: "delivered" });
    await agent.search();
    await agent.search();
    assert.equal(agent.control.state.desired, "running", "two identical calls are not a loop");
    await agent.search();
    await until(() => agent.control.state.desired === "paused", "the policy's pause at the agent", 10_000);
    const next = agent.control.checkpoint();
    assert.equal(await settlesWithin(next, 400), false, "checkpoint() waits while the run is paused");

    const { state, history } = await runControl(callers, agent.runId);
    assert.equal(state.desired, "paused");
    assert.equal(history.length, 1);
    const [pause] = history;
    assert.equal(pause!.action, "pause");
    assert.deepEqual(pause!.actor, { type: "policy", label: 'policy "pause-bot" (loop ≥ medium)' });
    assert.match(pause!.reason, /^search_web called 3× with \{q: 'refund policy'\}/);
    assert.match(pause!.requestId, new RegExp(`^policy:${agent.runId}:[0-9a-f]{16}:loop:pause$`));
    await until(async () => (await runControl(callers, agent.runId)).history[0]?.appliedAt != null, "the pause applied");

    // An operator lets it go on; the same loop growing (5×, high) does not pause it again.
    const resume = await call("runs/[runId]/control", "POST", "operator", { runId: agent.runId }, { action: "resume" });
    assert.equal(resume.status, 202);
    assert.equal(await settlesWithin(next, 5000), true, "the checkpoint returns on resume");
    await agent.search();
    await agent.search();
    await loopDrift(agent.runId, "high");
    await new Promise((r) => setTimeout(r, 500));
    const later = await runControl(callers, agent.runId);
    assert.equal(later.state.desired, "running");
    assert.deepEqual(
      later.history.map((e) => [e.action, e.actor.type]),
      [
        ["resume", "user"],
        ["pause", "policy"],
      ],
    );
    await agent.finish();
  });

  test("record: the drift point is stored and no command is sent", async () => {
    const agent = await new LoopingAgent("record-bot").connect();
    for (let i = 0; i < 4; i++) await agent.search();
    await loopDrift(agent.runId);
    await new Promise((r) => setTimeout(r, 600));
    const { state, history } = await runControl(callers, agent.runId);
    assert.equal(state.desired, "running");
    assert.deepEqual(history, []);
    assert.equal(await settlesWithin(agent.control.checkpoint(), 100), true);
    // The drift panel's evidence route has the finding with its evidence.
    const drift = await call("runs/[runId]/drift", "GET", "viewer", { runId: agent.runId });
    assert.equal(drift.status, 200);
    const [point] = runDrift.parse(drift.body).driftPoints;
    assert.equal(point?.detector, "loop");
    assert.equal(point?.evidence.rule, "repeat");
    assert.ok((point?.evidence.spanIds?.length ?? 0) >= 3);
    await agent.finish();
  });

  test("kill (from the policy file): checkpoint throws RunKilledError and the signal fires", async () => {
    const agent = await new LoopingAgent("kill-bot").connect();
    const aborted = new Promise<unknown>((resolve) =>
      agent.control.signal.addEventListener("abort", () => resolve(agent.control.signal.reason)),
    );
    for (let i = 0; i < 3; i++) await agent.search();
    const reason = await aborted;
    assert.ok(reason instanceof RunKilledError);
    assert.match(reason.message, /killed by policy "kill-bot" \(loop ≥ medium\): search_web called 3×/);
    await assert.rejects(agent.control.checkpoint(), RunKilledError);
    const { history } = await runControl(callers, agent.runId);
    assert.deepEqual(
      history.map((e) => [e.action, e.actor.type, e.actor.label]),
      [["kill", "policy", 'policy "kill-bot" (loop ≥ medium)']],
    );
    await until(async () => (await db.run.findFirst({ where: { id: agent.runId } }))?.status === "killed", "run killed");
    await agent.finish();
  });

  test("an ended run is never acted on", async () => {
    const agent = await new LoopingAgent("pause-bot").connect();
    await agent.search();
    await agent.search();
    await agent.finish(); // the root ends with the third call's spans unsent: the loop is found on an ended run
    await until(async () => (await db.run.findFirst({ where: { id: agent.runId } }))?.status === "ok", "run ended");
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "pause-bot" }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: { authorization: `Bearer ${keys.agentKey}` } }),
        ),
      ],
    });
    const tracer = provider.getTracer("late");
    const parent = trace.setSpan(context.active(), agent.root);
    for (const name of ["chat gpt-4o", "execute_tool search_web"]) {
      const attributes =
        name === "chat gpt-4o"
          ? { "gen_ai.operation.name": "chat" }
          : {
              "gen_ai.operation.name": "execute_tool",
              "gen_ai.tool.name": "search_web",
              "gen_ai.tool.call.arguments": JSON.stringify({ q: "refund policy" }),
              "gen_ai.tool.call.result": JSON.stringify({ results: [] }),
            };
      tracer.startSpan(name, { attributes }, parent).end();
    }
    await provider.forceFlush();
    await provider.shutdown();
    await loopDrift(agent.runId);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual((await runControl(callers, agent.runId)).history, []);
  });
});

describe("the policy REST API", () => {
  test("viewers read, operators write; errors name the field", async () => {
    const list = await call("policies", "GET", "viewer");
    assert.equal(list.status, 200);
    const { policies, agents } = policyList.parse(list.body);
    assert.deepEqual(
      policies.map((p) => [p.agent, p.source]),
      [
        ["kill-bot", "file"],
        ["pause-bot", "ui"],
        ["record-bot", "ui"],
      ],
    );
    assert.ok(agents.includes("pause-bot"));
    assert.equal(policies[1]!.updatedBy, "The operator (operator@example.com)");

    assert.equal((await putPolicy("viewer-bot", LOOP_MEDIUM("kill"), "viewer")).status, 403);
    assert.equal((await putPolicy("viewer-bot", LOOP_MEDIUM("kill"), "readKey")).status, 403);
    const created = await putPolicy("support bot/eu", { allowTools: ["lookup_*"], ...LOOP_MEDIUM("pause") }, "operateKey");
    assert.equal(created.status, 201);
    assert.equal(putPolicyResult.parse(created.body).created, true);
    const replaced = await putPolicy("support bot/eu", { allowTools: ["lookup_*", "send_reply"] });
    assert.equal(replaced.status, 200);
    const one = await call("policies/[agent]", "GET", "viewer", { agent: "support bot/eu" });
    assert.deepEqual(policyResult.parse(one.body).policy.policy.allowTools, ["lookup_*", "send_reply"]);
    assert.deepEqual(policyResult.parse(one.body).policy.policy.actions, [], "a PUT replaces the whole policy");

    const bad = await putPolicy("support-bot", { actions: [{ detector: "loops", minSeverity: "severe", action: "resume" }] });
    assert.equal(bad.status, 400);
    assert.match(errorOf(bad.body), /actions\.0\.detector: /);
    assert.match(errorOf(bad.body), /actions\.0\.minSeverity: /);
    assert.match(errorOf(bad.body), /actions\.0\.action: /);
    const unknown = await putPolicy("support-bot", { allowTool: ["x"], budgets: { maxSteps: 0 } });
    assert.equal(unknown.status, 400);
    assert.match(errorOf(unknown.body), /allowTool/);
    assert.match(errorOf(unknown.body), /budgets\.maxSteps: /);
    assert.equal((await putPolicy(" ", {})).status, 400);

    assert.equal((await call("policies/[agent]", "DELETE", "viewer", { agent: "support bot/eu" })).status, 403);
    assert.equal((await call("policies/[agent]", "DELETE", "operator", { agent: "support bot/eu" })).status, 200);
    assert.equal((await call("policies/[agent]", "DELETE", "operator", { agent: "support bot/eu" })).status, 404);
    assert.equal((await call("policies/[agent]", "GET", "viewer", { agent: "nobody" })).status, 404);
  });

  test("a policy from the file is read-only in the API", async () => {
    const put = await putPolicy("kill-bot", LOOP_MEDIUM("record"));
    assert.equal(put.status, 409);
    assert.match(errorOf(put.body), /CAUSEWAY_POLICY_FILE \(.*policies\.json\): edit the file/);
    assert.equal((await call("policies/[agent]", "DELETE", "adminToken", { agent: "kill-bot" })).status, 409);
    const { policy } = policyResult.parse((await call("policies/[agent]", "GET", "viewer", { agent: "kill-bot" })).body);
    assert.equal(policy.source, "file");
    assert.deepEqual(policy.policy.actions, [{ detector: "loop", minSeverity: "medium", action: "kill" }]);
  });

  test("at start-up the file's rows follow the file: an agent removed from it loses its policy", async () => {
    await collector.stop();
    writeFileSync(policyFilePath, JSON.stringify({ agents: { "*": { denyTools: ["shell"] } } }));
    collector = await startCollector(tdb.url, { CAUSEWAY_POLICY_FILE: policyFilePath });
    await until(
      async () =>
        (await db.agentPolicy.count({ where: { source: "file" } })) === 1 &&
        (await db.agentPolicy.findFirst({ where: { agent: "*" } })) !== null,
      "the file synced",
    );
    const { policies } = policyList.parse((await call("policies", "GET", "viewer")).body);
    assert.deepEqual(
      policies.map((p) => [p.agent, p.source]),
      [
        ["*", "file"],
        ["pause-bot", "ui"],
        ["record-bot", "ui"],
      ],
    );
  });
});
