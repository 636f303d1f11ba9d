import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { tool as langChainTool } from "@langchain/core/tools";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { END, MessagesAnnotation, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool as agentsTool } from "@openai/agents";
import { generateText, stepCountIs, tool } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import OpenAI from "openai";
import { z } from "zod";
import {
  aiSdkControl,
  connectControl,
  controlledNode,
  controlTools,
  isRunKilled,
  langGraphControl,
  openAiAgentsControl,
  withCheckpoint,
  type ControlClient,
} from "@/lib/agent";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { commandRun, makeCallers, newRunId, until, webEnvFor, type Callers } from "@/test/helpers/control";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import { AGENTS, WEATHER } from "@/test/producers/scripts";

/**
 * The framework adapters with the real SDKs, a real collector and commands through the REST
 * API: the Vercel AI SDK (prepareStep + abortSignal, tools wrapped with a checkpoint), the
 * OpenAI Agents SDK (callModelInputFilter + signal) and LangGraph JS (a StateGraph agent loop
 * with nodes wrapped with a checkpoint, invoked with the control signal) against scripted models.
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
  collector = await startCollector(tdb.url);
});
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await collector?.stop();
  await db.$disconnect();
  const { getDb } = await import("@/lib/server/db");
  await getDb().$disconnect();
  await tdb.close();
});

async function connect(runId: string): Promise<ControlClient> {
  const c = await connectControl({ endpoint: collector.url, apiKey: keys.agentKey!, runId, onError: () => {} });
  clients.push(c);
  await until(() => c.connected, "stream");
  return c;
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const TURNS = [
  {
    content: [{ type: "tool-call" as const, toolCallId: "call_1", toolName: "search", input: '{"q":"flights"}' }],
    finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
    usage,
    warnings: [],
  },
  {
    content: [{ type: "text" as const, text: "Done." }],
    finishReason: { unified: "stop" as const, raw: "stop" },
    usage,
    warnings: [],
  },
];

/** A scripted model that counts its calls, and a slow search tool that reports when it starts. */
function aiAgent(control: ControlClient) {
  let calls = 0;
  let toolStarted!: () => void;
  const started = new Promise<void>((r) => (toolStarted = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const tools = controlTools(control, {
    search: tool({
      inputSchema: z.object({ q: z.string() }),
      execute: async ({ q }, { abortSignal }) => {
        toolStarted();
        await new Promise<void>((resolve, reject) => {
          void released.then(resolve);
          abortSignal?.addEventListener("abort", () => reject(abortSignal.reason as Error));
        });
        return `results for ${q}`;
      },
    }),
  });
  const model = new MockLanguageModelV3({
    doGenerate: (async () => TURNS[Math.min(calls++, TURNS.length - 1)]!) as unknown as MockLanguageModelV3["doGenerate"],
  });
  const run = generateText({ model, tools, prompt: "Find flights", stopWhen: stepCountIs(5), ...aiSdkControl(control) });
  // Settled at once, so a rejection while the test awaits something else is not "unhandled".
  const outcome = run.then(
    (r) => ({ text: r.text, error: null as unknown }),
    (error: unknown) => ({ text: "", error }),
  );
  return { outcome, started, release, calls: () => calls };
}

test("Vercel AI SDK: a kill aborts the running tool and no further model call is made", async () => {
  const runId = newRunId();
  const control = await connect(runId);
  const agent = aiAgent(control);
  await agent.started;
  assert.equal((await commandRun(callers, runId, { action: "kill", reason: "stop the search" })).status, 202);
  const { error } = await agent.outcome;
  assert.ok(isRunKilled(error), String(error));
  assert.equal(agent.calls(), 1, "the model was not called again");
});

test("Vercel AI SDK: a pause holds the agent before its next step; resume lets it finish", async () => {
  const runId = newRunId();
  const control = await connect(runId);
  const agent = aiAgent(control);
  await agent.started;
  assert.equal((await commandRun(callers, runId, { action: "pause" })).status, 202);
  await until(() => control.state.desired === "paused", "paused");
  agent.release();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(agent.calls(), 1, "held at prepareStep while paused");
  assert.equal((await commandRun(callers, runId, { action: "resume" })).status, 202);
  const result = await agent.outcome;
  assert.equal(result.error, null);
  assert.equal(result.text, "Done.");
  assert.equal(agent.calls(), 2);
});

test("OpenAI Agents SDK: a kill during a tool call stops the run before the next model call", async () => {
  setTracingDisabled(true);
  const fake = await startFakeOpenAi(AGENTS.script(), AGENTS.model);
  try {
    const runId = newRunId();
    const control = await connect(runId);
    const getWeather = agentsTool({
      name: WEATHER.toolName,
      description: "Current weather for a city",
      parameters: z.object({ city: z.string() }),
      execute: withCheckpoint(control, async ({ city }: { city: string }) => {
        // The operator kills the run while this tool runs; the tool itself completes.
        assert.equal((await commandRun(callers, runId, { action: "kill", reason: "wrong city" })).status, 202);
        await until(() => control.signal.aborted, "the kill arrived");
        return JSON.stringify({ ...WEATHER.result, city });
      }),
    });
    const agent = new Agent({ name: AGENTS.triage, instructions: WEATHER.system, tools: [getWeather], model: AGENTS.model });
    const modelProvider = new OpenAIProvider({
      openAIClient: new OpenAI({ apiKey: "sk-fake-not-a-key", baseURL: fake.baseURL }),
      useResponses: true,
    });
    const runner = new Runner({ modelProvider });
    await assert.rejects(runner.run(agent, WEATHER.prompt, { ...openAiAgentsControl(control) }), (e) => isRunKilled(e));
    assert.equal(fake.requests.length, 1, "only the first model call was made");
  } finally {
    await fake.close();
  }
});

/**
 * A LangGraph agent loop: a scripted "model" node that asks for one search and then answers,
 * and the prebuilt ToolNode running a slow search tool that listens to the signal LangGraph
 * passes in its config. `visited` records the model calls and tool calls that ran.
 */
function langGraphAgent(control: ControlClient) {
  const visited: string[] = [];
  let toolSignal: AbortSignal | undefined;
  let toolStarted!: () => void;
  const started = new Promise<void>((r) => (toolStarted = r));
  let toolSettled!: () => void;
  const settled = new Promise<void>((r) => (toolSettled = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const search = langChainTool(
    async ({ q }, config) => {
      visited.push("search");
      toolSignal = config.signal;
      toolStarted();
      try {
        await new Promise<void>((resolve, reject) => {
          void released.then(resolve);
          config.signal?.addEventListener("abort", () => reject(config.signal!.reason as Error));
        });
      } finally {
        toolSettled();
      }
      return `results for ${q}`;
    },
    { name: "search", description: "Searches for flights", schema: z.object({ q: z.string() }) },
  );
  const turns = [
    new AIMessage({ content: "", tool_calls: [{ id: "call_1", name: "search", args: { q: "flights" } }] }),
    new AIMessage("Done."),
  ];
  let calls = 0;
  const graph = new StateGraph(MessagesAnnotation)
    .addNode(
      "model",
      controlledNode(control, async () => {
        visited.push("model");
        return { messages: [turns[Math.min(calls++, turns.length - 1)]!] };
      }),
    )
    .addNode("tools", controlledNode(control, new ToolNode([search])))
    .addEdge(START, "model")
    .addConditionalEdges("model", toolsCondition, ["tools", END])
    .addEdge("tools", "model")
    .compile();
  const run = graph.invoke({ messages: [new HumanMessage("Find flights")] }, langGraphControl(control, { recursionLimit: 10 }));
  const outcome = run.then(
    (r) => ({ messages: r.messages.map((m) => m.content), error: null as unknown }),
    (error: unknown) => ({ messages: [] as unknown[], error }),
  );
  return { outcome, started, settled, release, visited, toolSignal: () => toolSignal };
}

test("LangGraph: a kill aborts the running tool, invoke rejects and no further node runs", { timeout: 20_000 }, async () => {
  const runId = newRunId();
  const control = await connect(runId);
  const agent = langGraphAgent(control);
  await agent.started;
  assert.equal((await commandRun(callers, runId, { action: "kill", reason: "stop the search" })).status, 202);
  const { error } = await agent.outcome;
  assert.ok(isRunKilled(error), String(error));
  const signal = agent.toolSignal();
  assert.ok(signal?.aborted && isRunKilled(signal.reason), "the tool saw its signal abort with the kill");
  // LangGraph goes on with the step the tool ended, but does not start another one.
  await agent.settled;
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(agent.visited, ["model", "search"], "no model or tool call after the kill");
});

test("LangGraph: a pause holds the graph before its next node; resume lets it finish", { timeout: 20_000 }, async () => {
  const runId = newRunId();
  const control = await connect(runId);
  const agent = langGraphAgent(control);
  await agent.started;
  assert.equal((await commandRun(callers, runId, { action: "pause" })).status, 202);
  await until(() => control.state.desired === "paused", "paused");
  agent.release();
  await agent.settled;
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(agent.visited, ["model", "search"], "held before the model node while paused");
  assert.equal((await commandRun(callers, runId, { action: "resume" })).status, 202);
  const result = await agent.outcome;
  assert.equal(result.error, null);
  assert.deepEqual(result.messages, ["Find flights", "", "results for flights", "Done."]);
  assert.deepEqual(agent.visited, ["model", "search", "model"]);
});

test("LangGraph: the README example typechecks and runs (a fake chat model that answers at once)", async () => {
  const control = await connect(newRunId());
  const tools = [
    langChainTool(async ({ city }) => `sunny in ${city}`, {
      name: "weather",
      description: "Current weather",
      schema: z.object({ city: z.string() }),
    }),
  ];
  const model = new FakeListChatModel({ responses: ["Sunny."] }).bindTools(tools);
  const prompt = "Weather in Paris?";

  // --- the README example, unchanged ---
  const graph = new StateGraph(MessagesAnnotation)
    .addNode(
      "model",
      controlledNode(control, async (state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) => ({
        messages: [await model.invoke(state.messages, config)], // config.signal: a kill aborts the model call
      })),
    )
    .addNode("tools", controlledNode(control, new ToolNode(tools))) // tools get config.signal too
    .addEdge(START, "model")
    .addConditionalEdges("model", toolsCondition, ["tools", END])
    .addEdge("tools", "model")
    .compile();
  const { messages } = await graph.invoke(
    { messages: [{ role: "user", content: prompt }] },
    langGraphControl(control, { recursionLimit: 25 }), // a kill rejects with RunKilledError (isRunKilled)
  );
  // --- end of the example ---

  assert.equal(messages.at(-1)?.content, "Sunny.");
});
