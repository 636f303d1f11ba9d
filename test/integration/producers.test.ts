import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { runInChild } from "@/test/producers/child";
import type { runOpenAiAgents } from "@/test/producers/openai-agents";
import type { runOpenInferenceOpenAi } from "@/test/producers/openinference-openai";
import { AGENTS, OI_OPENAI, TRACELOOP, TRACELOOP_AI, VERCEL, VERCEL_OTEL, WEATHER } from "@/test/producers/scripts";
import type { runTraceloopAgent, runTraceloopAiSdk } from "@/test/producers/traceloop";
import type { runVercelAiAgent } from "@/test/producers/vercel-ai";
import type { runVercelAiOtelAgent } from "@/test/producers/vercel-ai-otel";

/**
 * Real producers against a real collector: each SDK runs its own small weather agent (mock model or fake OpenAI
 * server, a real tool, its own tracer provider and OTLP/HTTP exporter) in a child process, and the runs are read
 * back from the database: kinds, models, tokens, tool-call ids across decision -> tool -> next decision, errors,
 * sessions, handoffs. Expected values come from the scripts the mocks answered with (test/producers/scripts.ts).
 */

let tdb: TestDatabase;
let db: Db;
let sql: pg.Pool;
let collector: RunningCollector;

const producer = (name: string) => path.resolve(import.meta.dirname, "../producers", name);
const SESSION = {
  v5: "sess-vercel-v5",
  v6: "sess-vercel-v6",
  v7: "sess-vercel-v7",
  v7Otel: "sess-vercel-v7-otel",
  agents: "sess-openai-agents",
  oi: "sess-openinference-openai",
  traceloop: "sess-traceloop",
  traceloopAi: "sess-traceloop-ai",
} as const;

type Results<F extends (o: never) => Promise<unknown>> = Promise<Awaited<ReturnType<F>>[]>;
let vercel: Results<typeof runVercelAiAgent>;
let vercelOtel: Results<typeof runVercelAiOtelAgent>;
let agents: Results<typeof runOpenAiAgents>;
let oiOpenAi: Results<typeof runOpenInferenceOpenAi>;
let traceloop: Results<typeof runTraceloopAgent>;
let traceloopAi: Results<typeof runTraceloopAiSdk>;

/** Marks a promise handled now (it is awaited by the tests later), so a failing producer fails its tests only. */
function started<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

before(async () => {
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 2 });
  sql = new pg.Pool({ connectionString: tdb.url, max: 3 });
  const project = await db.project.findUniqueOrThrow({ where: { slug: "default" } });
  const key = (await createApiKey(db, { projectId: project.id, name: "producers", scopes: ["ingest"] })).key;
  collector = await startCollector(tdb.url);
  const base = { endpoint: collector.url, headers: { authorization: `Bearer ${key}` } };
  // Every producer runs in its own process (global SDK registrations stay there), all at once.
  vercel = started(
    runInChild<typeof runVercelAiAgent>(producer("vercel-ai.ts"), "runVercelAiAgent", [
      { ...base, version: 5, sessionId: SESSION.v5 },
      { ...base, version: 5, failTool: true },
      { ...base, version: 6, sessionId: SESSION.v6 },
      { ...base, version: 6, failTool: true },
      { ...base, version: 7, sessionId: SESSION.v7 },
      { ...base, version: 5, stream: true, sessionId: SESSION.v5 },
      { ...base, version: 6, stream: true, sessionId: SESSION.v6 },
    ]),
  );
  vercelOtel = started(
    runInChild<typeof runVercelAiOtelAgent>(producer("vercel-ai-otel.ts"), "runVercelAiOtelAgent", [
      { ...base, api: "agent", sessionId: SESSION.v7Otel },
      { ...base, api: "agent-stream", sessionId: SESSION.v7Otel },
      { ...base, api: "generateText", failTool: true },
    ]),
  );
  agents = started(
    runInChild<typeof runOpenAiAgents>(producer("openai-agents.ts"), "runOpenAiAgents", [
      { ...base, api: "responses", sessionId: SESSION.agents },
      { ...base, api: "chat_completions", failTool: true },
    ]),
  );
  oiOpenAi = started(
    runInChild<typeof runOpenInferenceOpenAi>(producer("openinference-openai.ts"), "runOpenInferenceOpenAi", [
      { ...base, sessionId: SESSION.oi },
      { ...base, failTool: true },
      { ...base, api: "responses" },
    ]),
  );
  traceloop = started(
    runInChild<typeof runTraceloopAgent>(producer("traceloop.ts"), "runTraceloopAgent", [
      { ...base, sessionId: SESSION.traceloop },
      { ...base, failTool: true },
    ]),
  );
  traceloopAi = started(
    runInChild<typeof runTraceloopAiSdk>(producer("traceloop.ts"), "runTraceloopAiSdk", [
      { ...base, sessionId: SESSION.traceloopAi },
    ]),
  );
});

after(async () => {
  // Let every producer finish before the collector goes away (their failures are reported by their tests).
  await Promise.allSettled([vercel, vercelOtel, agents, oiOpenAi, traceloop, traceloopAi]);
  await collector?.stop();
  await db?.$disconnect();
  await sql?.end();
  await tdb?.close();
});

// ---- reading runs back ----

type Msg = {
  role: string;
  content: unknown;
  tool_calls?: { id: string | null; name: string; arguments: string }[];
  tool_call_id?: string;
  name?: string;
};
type Step = {
  span_id: string;
  parent_span_id: string | null;
  kind: string;
  name: string;
  family: string;
  status: string;
  status_message: string | null;
  start_ns: bigint;
  agent_name: string | null;
  provider: string | null;
  model: string | null;
  tool_name: string | null;
  tool_call_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  scope_name: string;
  attributes: Record<string, unknown>;
  ctx: Msg[];
  out: Msg[];
  input: string | null;
  output: string | null;
};
type Run = {
  name: string;
  status: string;
  session_id: string | null;
  root_span_id: string | null;
  step_count: number;
  llm_call_count: number;
  tool_call_count: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  error_count: number;
  service_name: string;
};

async function runOf(traceId: string): Promise<Run> {
  const { rows } = await sql.query<Run>(
    `SELECT r.name, r.status, r.session_id, r.root_span_id, r.step_count, r.llm_call_count, r.tool_call_count,
            r.input_tokens::int AS input_tokens, r.output_tokens::int AS output_tokens, r.total_tokens::int AS total_tokens,
            r.error_count, a.service_name
     FROM runs r LEFT JOIN agents a ON a.id = r.agent_id WHERE r.id = $1`,
    [traceId],
  );
  assert.ok(rows[0], `run ${traceId} stored`);
  return rows[0];
}

/** The run's steps in start order, with their context / output messages resolved through the messages table. */
async function stepsOf(traceId: string): Promise<Step[]> {
  const messages = (col: string) =>
    `COALESCE((SELECT json_agg(m.content ORDER BY h.i) FROM unnest(s.${col}) WITH ORDINALITY AS h(hash, i)
               JOIN messages m ON m.project_id = s.project_id AND m.hash = h.hash), '[]'::json)`;
  const { rows } = await sql.query<Omit<Step, "start_ns"> & { start_ns: string }>(
    `SELECT s.span_id, s.parent_span_id, s.kind, s.name, s.family, s.status, s.status_message, s.start_ns::text AS start_ns,
            s.agent_name, s.provider, s.model, s.tool_name, s.tool_call_id, s.input_tokens, s.output_tokens, s.total_tokens,
            s.scope_name, s.attributes, ${messages("context_hashes")} AS ctx, ${messages("output_hashes")} AS out, p.input, p.output
     FROM steps s LEFT JOIN step_payloads p USING (project_id, run_id, span_id)
     WHERE s.run_id = $1`,
    [traceId],
  );
  return rows
    .map((r) => ({ ...r, start_ns: BigInt(r.start_ns) }))
    .sort((a, b) => (a.start_ns < b.start_ns ? -1 : a.start_ns > b.start_ns ? 1 : a.span_id < b.span_id ? -1 : 1));
}

const kinds = (steps: Step[]) => steps.map((s) => s.kind).sort();
const llmSteps = (steps: Step[]) => steps.filter((s) => s.kind === "llm");
const only = <T>(xs: T[], what: string): T => {
  assert.equal(xs.length, 1, `exactly one ${what}`);
  return xs[0]!;
};

/**
 * decision -> tool -> next decision, read from the stored rows: the LLM step whose output message asked for the tool
 * (its tool_calls entry), the tool step that ran it (by id when the producer carries one, else by name), and the next
 * LLM step, whose context holds the tool message answering that id.
 */
function toolRoundTrip(steps: Step[], o: { toolName: string; callId: string; toolCarriesId: boolean }) {
  const llms = llmSteps(steps);
  const at = llms.findIndex((s) => s.out.some((m) => m.tool_calls?.some((c) => c.name === o.toolName)));
  assert.ok(at >= 0, `an LLM step decided ${o.toolName}`);
  const decision = llms[at]!;
  const next = llms[at + 1];
  assert.ok(next, "a decision after the tool ran");
  const call = only(
    decision.out.flatMap((m) => m.tool_calls ?? []).filter((c) => c.name === o.toolName),
    `${o.toolName} call`,
  );
  assert.deepEqual(call, { id: o.callId, name: o.toolName, arguments: JSON.stringify({ city: WEATHER.city }) });
  const tool = only(
    steps.filter((s) => s.kind === "tool" && s.tool_name === o.toolName),
    `${o.toolName} step`,
  );
  assert.equal(tool.tool_call_id, o.toolCarriesId ? call.id : null, "the tool step's call id");
  assert.equal(tool.name, o.toolName);
  assert.ok(decision.start_ns <= tool.start_ns && tool.start_ns <= next.start_ns, "decision, tool, next decision in order");
  assert.deepEqual(JSON.parse(tool.input ?? "null"), { city: WEATHER.city }, "tool arguments stored as the model sent them");
  const answer = next.ctx.filter((m) => m.role === "tool" && m.tool_call_id === call.id);
  assert.equal(answer.length, 1, "the next decision's context answers the call by id");
  // The decision itself is in the next context too, with the same id.
  assert.ok(next.ctx.some((m) => m.role === "assistant" && m.tool_calls?.some((c) => c.id === call.id)));
  return { decision, tool, next, toolMessage: answer[0]! };
}

/** Per-call tokens as the mock returned them, and run totals that are their sums (LLM steps only). */
function assertTokens(run: Run, steps: Step[], usage: readonly { input: number; output: number }[]) {
  const llms = llmSteps(steps);
  assert.deepEqual(
    llms.map((s) => [s.input_tokens, s.output_tokens, s.total_tokens]),
    usage.map((u) => [u.input, u.output, u.input + u.output]),
    "each LLM step's tokens",
  );
  const input = usage.reduce((n, u) => n + u.input, 0);
  const output = usage.reduce((n, u) => n + u.output, 0);
  assert.deepEqual([run.input_tokens, run.output_tokens, run.total_tokens], [input, output, input + output], "run totals");
  assert.equal(run.llm_call_count, usage.length);
  for (const s of steps) if (s.kind !== "llm") assert.equal(s.input_tokens, null, `no tokens on ${s.kind} step ${s.name}`);
}

async function oneRun<T extends { traceIds: string[] }>(results: Promise<T[]>, index: number) {
  const result = (await results)[index]!;
  const traceId = only(result.traceIds, "trace");
  return { result, traceId, run: await runOf(traceId), steps: await stepsOf(traceId) };
}

const toolResultJson = JSON.stringify(WEATHER.result);

// ---- Vercel AI SDK ----

/** One ai@5/6 agent run: root, two model calls, the tool between them, as the mock scripted them. */
function assertVercelRun(version: 5 | 6, text: string, run: Run, steps: Step[]) {
  assert.equal(text, WEATHER.answer);
  assert.deepEqual(kinds(steps), ["agent", "llm", "llm", "tool"]);
  assert.equal(run.step_count, 4);
  assert.equal(run.tool_call_count, 1);
  assert.equal(run.error_count, 0);
  assert.equal(run.status, "ok");
  assert.equal(run.name, VERCEL.functionId);
  assert.equal(run.session_id, SESSION[`v${version}`]);
  assert.equal(run.service_name, `vercel-ai-v${version}`);

  const root = steps[0]!;
  assert.equal(root.kind, "agent");
  assert.equal(root.parent_span_id, null);
  assert.equal(root.name, VERCEL.functionId);
  assert.equal(root.agent_name, VERCEL.functionId);
  assert.equal(root.output, WEATHER.answer);
  for (const s of steps) {
    assert.equal(s.family, "vercel-ai");
    if (s !== root) assert.equal(s.parent_span_id, root.span_id, `${s.name} under the root`);
  }
  for (const s of llmSteps(steps)) {
    assert.equal(s.model, VERCEL.model);
    assert.equal(s.provider, VERCEL.provider);
    assert.equal(s.name, `chat ${VERCEL.model}`);
  }
  assertTokens(run, steps, VERCEL.usage);

  const { decision, tool, next, toolMessage } = toolRoundTrip(steps, {
    toolName: WEATHER.toolName,
    callId: VERCEL.toolCallId(version),
    toolCarriesId: true,
  });
  assert.deepEqual(decision.ctx, [
    { role: "system", content: WEATHER.system },
    { role: "user", content: WEATHER.prompt },
  ]);
  assert.equal(decision.attributes["causeway.finish_reason"], "tool_calls");
  assert.equal(tool.output, toolResultJson);
  assert.equal(toolMessage.content, toolResultJson);
  assert.deepEqual(next.out, [{ role: "assistant", content: WEATHER.answer }]);
}

/**
 * An ai@7 + @ai-sdk/otel run in loop order. Its spans start at the SDK's event timestamps, whole milliseconds, so a
 * step and its model call (or two quick steps) may start in the same millisecond: order by the `step N` each span
 * belongs to, then root, step, decision, tool.
 */
function otelLoopOrder(steps: Step[]): Step[] {
  const numbers = new Map(steps.filter((s) => s.kind === "chain").map((s) => [s.span_id, Number(s.name.split(" ")[1])]));
  const at = (s: Step) => (s.parent_span_id === null ? 0 : (numbers.get(s.span_id) ?? numbers.get(s.parent_span_id) ?? 99));
  const rank = ["agent", "chain", "llm", "tool"];
  return [...steps].sort((a, b) => at(a) - at(b) || rank.indexOf(a.kind) - rank.indexOf(b.kind));
}

/** One ai@7 agent loop as @ai-sdk/otel reports it: invoke_agent -> step N -> chat (+ execute_tool in step 1). */
function assertVercelOtelRun(text: string, run: Run, stored: Step[], callId: string) {
  assert.equal(text, WEATHER.answer);
  const steps = otelLoopOrder(stored);
  assert.deepEqual(
    steps.map((s) => [s.kind, s.name]),
    [
      ["agent", VERCEL_OTEL.functionId],
      ["chain", "step 1"],
      ["llm", `chat ${VERCEL.model}`],
      ["tool", WEATHER.toolName],
      ["chain", "step 2"],
      ["llm", `chat ${VERCEL.model}`],
    ],
  );
  const [root, step1, decide, tool, step2, answer] = steps as [Step, Step, Step, Step, Step, Step];
  assert.equal(root.parent_span_id, null);
  assert.deepEqual(
    [step1, decide, tool, step2, answer].map((s) => s.parent_span_id),
    [root.span_id, step1.span_id, step1.span_id, root.span_id, step2.span_id],
    "the tool runs beside the model call of its step",
  );
  for (const s of steps) {
    assert.equal(s.family, "vercel-ai", `${s.name} read as the AI SDK`);
    assert.equal(s.scope_name, "gen_ai");
  }
  assert.equal(run.name, VERCEL_OTEL.functionId);
  assert.equal(run.service_name, VERCEL_OTEL.serviceName);
  assert.equal(run.step_count, 6);
  assert.equal(run.tool_call_count, 1);

  // The root names the agent by its function id (its span is named after the model) and keeps the steps' summed
  // usage as attributes: tokens are counted once, on the model calls.
  assert.equal(root.agent_name, VERCEL_OTEL.functionId);
  assert.deepEqual(root.ctx, [
    { role: "system", content: WEATHER.system },
    { role: "user", content: WEATHER.prompt },
  ]);
  assert.deepEqual(root.out, []);
  const sum = (k: "input" | "output") => VERCEL.usage.reduce((n, u) => n + u[k], 0);
  assert.deepEqual(
    [Number(root.attributes["gen_ai.usage.input_tokens"]), Number(root.attributes["gen_ai.usage.output_tokens"])],
    [sum("input"), sum("output")],
  );
  for (const s of llmSteps(steps)) {
    assert.equal(s.model, VERCEL.model);
    assert.equal(s.provider, VERCEL.provider);
  }
  assertTokens(run, steps, VERCEL.usage);

  const trip = toolRoundTrip(steps, { toolName: WEATHER.toolName, callId, toolCarriesId: true });
  assert.equal(trip.decision.span_id, decide.span_id);
  assert.equal(trip.next.span_id, answer.span_id);
  assert.deepEqual(decide.ctx, root.ctx);
  assert.equal(decide.attributes["causeway.finish_reason"], "tool_calls");
  assert.deepEqual(answer.out, [{ role: "assistant", content: WEATHER.answer }]);
  if (tool.status !== "error") {
    assert.equal(tool.output, toolResultJson);
    assert.equal(trip.toolMessage.content, toolResultJson);
  }
  return { root, ...trip };
}

describe("Vercel AI SDK", () => {
  for (const [version, index] of [
    [5, 0],
    [6, 2],
  ] as const) {
    for (const [api, at] of [
      ["generateText", index],
      ["streamText", version === 5 ? 5 : 6],
    ] as const)
      test(`ai@${version} ${api}: agent root, two model calls and the tool, linked by the call id`, async () => {
        const { result, run, steps } = await oneRun(vercel, at);
        assertVercelRun(version, result.text, run, steps);
      });

    test(`ai@${version}: a throwing tool is an error step; the model is told and the run completes`, async () => {
      const { result, run, steps } = await oneRun(vercel, index + 1);
      assert.equal(result.text, WEATHER.answer);
      const { tool, toolMessage } = toolRoundTrip(steps, {
        toolName: WEATHER.toolName,
        callId: VERCEL.toolCallId(version, true),
        toolCarriesId: true,
      });
      assert.equal(tool.status, "error");
      assert.equal(tool.status_message, WEATHER.error);
      assert.equal(tool.output, null);
      assert.match(String(toolMessage.content), new RegExp(WEATHER.error));
      assert.equal(run.error_count, 1);
      // The SDK recovers (the error goes back to the model): the root span is not an error.
      assert.equal(run.status, "ok");
      assert.equal(run.session_id, null);
      assertTokens(run, steps, VERCEL.usage);
    });
  }

  test("ai@7: no OpenTelemetry spans without @ai-sdk/otel, only lifecycle events", async () => {
    // ai@7 moved span creation to the separate @ai-sdk/otel integration (not passed here) and its
    // TelemetryOptions take no tracer: with telemetry enabled the agent runs, integrations get lifecycle
    // events, and no span reaches the provider, so the collector stores nothing for it.
    const r = (await vercel)[4]!;
    assert.equal(r.text, WEATHER.answer);
    assert.deepEqual(r.toolCallIds, [VERCEL.toolCallId(7)]);
    assert.deepEqual(r.traceIds, []);
    assert.deepEqual(r.telemetryEvents, [
      "onStart",
      "onStepStart",
      "onLanguageModelCallStart",
      "onLanguageModelCallEnd",
      "onToolExecutionStart",
      "onToolExecutionEnd",
      "onStepEnd",
      "onStepStart",
      "onLanguageModelCallStart",
      "onLanguageModelCallEnd",
      "onStepEnd",
      "onEnd",
    ]);
    const { rows } = await sql.query(
      `SELECT 1 FROM agents WHERE service_name = 'vercel-ai-v7'
       UNION ALL SELECT 1 FROM runs WHERE session_id = $1
       UNION ALL SELECT 1 FROM steps WHERE tool_call_id = $2`,
      [SESSION.v7, VERCEL.toolCallId(7)],
    );
    assert.equal(rows.length, 0);
  });

  for (const [api, index] of [
    ["agent", 0],
    ["agent-stream", 1],
  ] as const)
    test(`ai@7 + @ai-sdk/otel ToolLoopAgent (${api}): invoke_agent root, a step per model call, the tool linked by id`, async () => {
      const { result, run, steps } = await oneRun(vercelOtel, index);
      assert.deepEqual(result.toolCallIds, [VERCEL_OTEL.toolCallId(api)]);
      const { root } = assertVercelOtelRun(result.text, run, steps, VERCEL_OTEL.toolCallId(api));
      assert.equal(run.session_id, SESSION.v7Otel);
      assert.equal(run.status, "ok");
      assert.equal(run.error_count, 0);
      assert.equal(root.output, WEATHER.answer);
    });

  test("ai@7 + @ai-sdk/otel generateText: a throwing tool is an error step; the model is told and the run completes", async () => {
    const { result, run, steps } = await oneRun(vercelOtel, 2);
    const { tool, toolMessage } = assertVercelOtelRun(result.text, run, steps, VERCEL_OTEL.toolCallId("generateText", true));
    assert.equal(tool.status, "error");
    assert.equal(tool.status_message, WEATHER.error);
    assert.equal(tool.output, null);
    assert.match(String(toolMessage.content), new RegExp(WEATHER.error));
    assert.equal(run.error_count, 1);
    assert.equal(run.status, "ok");
    assert.equal(run.session_id, null);
  });
});

// ---- OpenAI Agents SDK + OpenInference ----

describe("OpenAI Agents SDK traced by OpenInference", () => {
  test("Responses API: agents, turns, three model calls, the tool (no call id on its span) and the handoff", async () => {
    const { result, run, steps } = await oneRun(agents, 0);
    assert.equal(result.finalOutput, WEATHER.answer);
    assert.equal(result.lastAgent, AGENTS.forecaster);
    assert.deepEqual(result.requests, ["/v1/responses", "/v1/responses", "/v1/responses"]);
    assert.equal(run.name, AGENTS.workflow);
    assert.equal(run.status, "ok");
    assert.equal(run.session_id, SESSION.agents);
    assert.equal(run.service_name, "openai-agents-responses");
    assert.equal(run.error_count, 0);
    assert.equal(run.tool_call_count, 1);
    // root + Triage + Forecaster + handoff; the workflow's task span and three turns; three responses; one tool.
    assert.deepEqual(kinds(steps), [...Array(4).fill("agent"), ...Array(4).fill("chain"), "llm", "llm", "llm", "tool"]);
    assert.equal(run.step_count, steps.length);
    for (const s of steps) assert.equal(s.family, "openinference");
    const root = only(
      steps.filter((s) => s.parent_span_id === null),
      "root",
    );
    assert.equal(root.kind, "agent");
    assert.equal(root.name, AGENTS.workflow);
    assert.equal(root.output, WEATHER.answer);
    for (const s of llmSteps(steps)) {
      assert.equal(s.name, "response");
      assert.equal(s.model, AGENTS.model);
      assert.equal(s.provider, "openai");
    }
    assertTokens(run, steps, AGENTS.usage);

    const { decision, tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: AGENTS.toolCallId,
      toolCarriesId: false,
    });
    assert.deepEqual(decision.ctx, [
      { role: "system", content: WEATHER.system },
      { role: "user", content: WEATHER.prompt },
    ]);
    assert.equal(tool.status, "ok");
    assert.equal(tool.output, toolResultJson);
    assert.equal(toolMessage.content, toolResultJson);
    assertHandoff(steps);
  });

  test("Chat Completions: a throwing tool is an error step, the model gets the SDK's error text", async () => {
    const { result, run, steps } = await oneRun(agents, 1);
    assert.equal(result.finalOutput, WEATHER.answer);
    assert.deepEqual(result.requests, ["/v1/chat/completions", "/v1/chat/completions", "/v1/chat/completions"]);
    assert.equal(run.session_id, null);
    for (const s of llmSteps(steps)) assert.equal(s.name, "generation");
    assert.equal(llmSteps(steps)[0]!.attributes["causeway.finish_reason"], "tool_calls");
    assertTokens(run, steps, AGENTS.usage);
    const { tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: AGENTS.toolCallId,
      toolCarriesId: false,
    });
    assert.equal(tool.status, "error");
    assert.match(tool.status_message ?? "", /Error running tool/);
    const sdkError = "An error occurred while running the tool. Please try again.";
    assert.equal(tool.output, sdkError);
    assert.equal(toolMessage.content, sdkError);
    assert.equal(run.error_count, 1);
    assert.equal(run.status, "ok");
    assertHandoff(steps);
  });

  /** Triage's second decision is the handoff call; the handoff step names both agents; Forecaster answers. */
  function assertHandoff(steps: Step[]) {
    const [, second, third] = llmSteps(steps);
    assert.ok(second && third);
    assert.deepEqual(
      second.out.flatMap((m) => m.tool_calls ?? []),
      [{ id: AGENTS.handoffCallId, name: AGENTS.handoffTool, arguments: "{}" }],
    );
    const handoff = only(
      steps.filter((s) => s.attributes["causeway.handoff_to"] !== undefined),
      "handoff step",
    );
    assert.equal(handoff.kind, "agent");
    assert.equal(handoff.name, `handoff to ${AGENTS.forecaster}`);
    assert.equal(handoff.agent_name, AGENTS.triage);
    assert.equal(handoff.attributes["causeway.handoff_to"], AGENTS.forecaster);
    assert.ok(second.start_ns <= handoff.start_ns && handoff.start_ns <= third.start_ns, "handoff between the decisions");
    const agentsByName = new Map(steps.filter((s) => s.kind === "agent" && s !== handoff).map((s) => [s.name, s]));
    assert.equal(agentsByName.get(AGENTS.triage)?.agent_name, AGENTS.triage);
    const forecaster = agentsByName.get(AGENTS.forecaster);
    assert.equal(forecaster?.agent_name, AGENTS.forecaster);
    assert.equal(forecaster?.attributes["graph.node.parent_id"], AGENTS.triage);
    // Forecaster's model call: its own instructions first, the handoff answered by id last, then the answer.
    assert.equal(third.ctx[0]?.role, "system");
    assert.equal(third.ctx[0]?.content, "Write the forecast for the user.");
    assert.deepEqual(third.ctx.at(-1), {
      role: "tool",
      content: JSON.stringify({ assistant: AGENTS.forecaster }),
      tool_call_id: AGENTS.handoffCallId,
    });
    assert.deepEqual(third.out, [{ role: "assistant", content: WEATHER.answer }]);
  }
});

// ---- OpenInference OpenAI instrumentation ----

describe("OpenInference OpenAI instrumentation", () => {
  test("agent root, two chat completions and the tool span with its call id", async () => {
    const { result, run, steps } = await oneRun(oiOpenAi, 0);
    assert.equal(result.answer, WEATHER.answer);
    assert.deepEqual(kinds(steps), ["agent", "llm", "llm", "tool"]);
    assert.equal(run.name, OI_OPENAI.agent);
    assert.equal(run.status, "ok");
    assert.equal(run.session_id, SESSION.oi);
    assert.equal(run.service_name, "openinference-openai-chat");
    assert.equal(run.error_count, 0);
    assert.equal(run.step_count, 4);
    const root = steps.find((s) => s.parent_span_id === null);
    assert.equal(root?.kind, "agent");
    assert.equal(root?.agent_name, OI_OPENAI.agent);
    assert.equal(root?.input, WEATHER.prompt);
    assert.equal(root?.output, WEATHER.answer);
    for (const s of llmSteps(steps)) {
      assert.equal(s.name, "OpenAI Chat Completions");
      assert.equal(s.scope_name, "@arizeai/openinference-instrumentation-openai");
      assert.equal(s.model, OI_OPENAI.model);
      assert.equal(s.provider, "openai");
      assert.equal(s.parent_span_id, root?.span_id);
    }
    assertTokens(run, steps, OI_OPENAI.usage);
    const { decision, tool, next, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: OI_OPENAI.toolCallId(),
      toolCarriesId: true,
    });
    assert.equal(decision.attributes["causeway.finish_reason"], "tool_calls");
    assert.equal(tool.output, toolResultJson);
    assert.equal(toolMessage.content, toolResultJson);
    assert.deepEqual(next.out, [{ role: "assistant", content: WEATHER.answer }]);
  });

  test("a throwing tool is an error step and an error on the run", async () => {
    const { run, steps } = await oneRun(oiOpenAi, 1);
    const { tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: OI_OPENAI.toolCallId(true),
      toolCarriesId: true,
    });
    assert.equal(tool.status, "error");
    assert.equal(tool.status_message, WEATHER.error);
    assert.equal(toolMessage.content, `error: ${WEATHER.error}`);
    assert.equal(run.error_count, 1);
    assert.equal(run.session_id, null);
    assertTokens(run, steps, OI_OPENAI.usage);
  });

  test("Responses API: the same loop through `OpenAI Responses` spans, tool results linked by call_id", async () => {
    const { result, run, steps } = await oneRun(oiOpenAi, 2);
    assert.equal(result.answer, WEATHER.answer);
    assert.deepEqual(kinds(steps), ["agent", "llm", "llm", "tool"]);
    assert.equal(run.service_name, "openinference-openai-responses");
    for (const s of llmSteps(steps)) {
      assert.equal(s.name, "OpenAI Responses");
      assert.equal(s.model, OI_OPENAI.model);
    }
    assertTokens(run, steps, OI_OPENAI.usage);
    const { decision, tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: OI_OPENAI.toolCallId(),
      toolCarriesId: true,
    });
    // `instructions` become the system message.
    assert.deepEqual(decision.ctx, [
      { role: "system", content: WEATHER.system },
      { role: "user", content: WEATHER.prompt },
    ]);
    assert.equal(tool.output, toolResultJson);
    assert.equal(toolMessage.content, toolResultJson);
  });

  test("Responses API: the answer's output_text part is stored as text", async () => {
    const { steps } = await oneRun(oiOpenAi, 2);
    assert.deepEqual(llmSteps(steps)[1]!.out, [{ role: "assistant", content: WEATHER.answer }]);
  });
});

// ---- Traceloop ----

describe("Traceloop SDK", () => {
  test("withWorkflow root, two instrumented chat calls and the withTool step (no call id)", async () => {
    const { result, run, steps } = await oneRun(traceloop, 0);
    assert.equal(result.answer, WEATHER.answer);
    assert.deepEqual(kinds(steps), ["chain", "llm", "llm", "tool"]);
    assert.equal(run.name, TRACELOOP.workflow);
    assert.equal(run.status, "ok");
    assert.equal(run.session_id, SESSION.traceloop);
    assert.equal(run.service_name, "traceloop-weather");
    assert.equal(run.error_count, 0);
    const root = steps.find((s) => s.parent_span_id === null);
    assert.equal(root?.kind, "chain");
    assert.equal(root?.name, TRACELOOP.workflow);
    for (const s of steps) assert.equal(s.family, "openllmetry");
    for (const s of llmSteps(steps)) {
      assert.equal(s.scope_name, "@traceloop/instrumentation-openai");
      assert.equal(s.model, TRACELOOP.model);
      assert.equal(s.provider, "openai");
    }
    assertTokens(run, steps, TRACELOOP.usage);
    const { tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: TRACELOOP.toolCallId(),
      toolCarriesId: false,
    });
    assert.equal(tool.output, toolResultJson, "the SDK's serialised result, unwrapped");
    assert.equal(toolMessage.content, toolResultJson);
  });

  test("a tool that records its failure on its span is an error step", async () => {
    const { run, steps } = await oneRun(traceloop, 1);
    const { tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: TRACELOOP.toolCallId(true),
      toolCarriesId: false,
    });
    assert.equal(tool.status, "error");
    assert.equal(tool.status_message, WEATHER.error);
    assert.equal(toolMessage.content, JSON.stringify({ error: WEATHER.error }));
    assert.equal(run.error_count, 1);
    assertTokens(run, steps, TRACELOOP.usage);
  });

  test("ai@6 under Traceloop's span processor: the rewritten spans are still one agent loop", async () => {
    const { result, run, steps } = await oneRun(traceloopAi, 0);
    assert.equal(result.answer, WEATHER.answer);
    assert.deepEqual(kinds(steps), ["agent", "llm", "llm", "tool"]);
    assert.equal(run.name, TRACELOOP_AI.functionId);
    assert.equal(run.session_id, SESSION.traceloopAi);
    assert.equal(run.service_name, "traceloop-ai-sdk");
    const root = steps.find((s) => s.parent_span_id === null);
    assert.equal(root?.kind, "agent");
    assert.equal(root?.agent_name, TRACELOOP_AI.agent);
    for (const s of llmSteps(steps)) {
      assert.equal(s.name, `chat ${TRACELOOP_AI.model}`);
      assert.equal(s.model, TRACELOOP_AI.model);
    }
    assertTokens(run, steps, TRACELOOP_AI.usage);
    const { tool, toolMessage } = toolRoundTrip(steps, {
      toolName: WEATHER.toolName,
      callId: TRACELOOP_AI.toolCallId,
      toolCarriesId: true,
    });
    assert.equal(tool.output, toolResultJson);
    assert.equal(toolMessage.content, toolResultJson);
  });
});

// ---- sessions ----

describe("sessions", () => {
  test("one session row per session id, counting its runs", async () => {
    await Promise.allSettled([vercel, vercelOtel, agents, oiOpenAi, traceloop, traceloopAi]);
    // Session counts are refreshed right after each commit, outside the write transaction: allow a moment.
    const read = async () =>
      (
        await sql.query<{ id: string; run_count: number; runs: number }>(
          `SELECT s.id, s.run_count, (SELECT count(*)::int FROM runs r WHERE r.project_id = s.project_id AND r.session_id = s.id) AS runs
             FROM sessions s WHERE s.id = ANY($1) ORDER BY s.id`,
          [Object.values(SESSION).filter((s) => s !== SESSION.v7)],
        )
      ).rows;
    let rows = await read();
    for (let i = 0; i < 20 && rows.some((r) => r.run_count !== r.runs); i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await read();
    }
    assert.equal(rows.length, 7);
    for (const r of rows) assert.deepEqual([r.id, r.run_count], [r.id, r.runs]);
    assert.ok(rows.every((r) => r.runs > 0));
  });
});
