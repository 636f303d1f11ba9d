import { SpanStatusCode, trace } from "@opentelemetry/api";
import * as traceloop from "@traceloop/node-server-sdk";
import OpenAI from "openai";
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import type { ProducerBase, ProducerResult } from "@/test/producers/otlp";
import { TRACELOOP, TRACELOOP_AI, WEATHER, WEATHER_TOOL_DEFINITION } from "@/test/producers/scripts";

/**
 * The Traceloop SDK (`@traceloop/node-server-sdk`, OpenLLMetry): `initialize` with `baseUrl` = the collector and the
 * ingest key in `headers` (its own OTLP/HTTP protobuf exporter), `disableBatch`, and `instrumentModules: { openAI }`
 * so its OpenAI instrumentation patches the client; a tool loop over chat.completions against the fake server inside
 * `withWorkflow` (association property `session_id`), the tool inside `withTool`.
 *
 * Traceloop's `withEntity` only ends its span when the wrapped function resolves: a rejected promise leaves the
 * span (and every enclosing workflow span) open forever, so nothing of the run is ever exported. The failing tool
 * therefore records its error on its own span (`trace.getActiveSpan()`) and returns an error text for the model,
 * which is how a Traceloop tool has to report a failure.
 *
 * `initialize` starts a global NodeSDK once per process: run it in its own process (child.ts). Later calls in the
 * same process reuse that SDK (the first call's endpoint and headers).
 */
export type TraceloopOptions = ProducerBase & { sessionId?: string; failTool?: boolean };
export type TraceloopResult = ProducerResult & { answer: string };

let initialized = false;

export async function runTraceloopAgent(o: TraceloopOptions): Promise<TraceloopResult> {
  if (!initialized) {
    traceloop.initialize({
      appName: "traceloop-weather",
      baseUrl: o.endpoint,
      headers: o.headers,
      disableBatch: true,
      traceloopSyncEnabled: false,
      silenceInitializationMessage: true,
      instrumentModules: { openAI: OpenAI },
    });
    initialized = true;
  }
  const failTool = o.failTool ?? false;
  const fake = await startFakeOpenAi(TRACELOOP.script(failTool), TRACELOOP.model);
  const traceIds = new Set<string>();
  try {
    const client = new OpenAI({ apiKey: "sk-fake-not-a-key", baseURL: fake.baseURL, maxRetries: 0 });
    const tools = [WEATHER_TOOL_DEFINITION];
    const getWeather = async (args: { city: string }) => {
      if (!failTool) return { ...WEATHER.result, city: args.city };
      const span = trace.getActiveSpan();
      span?.recordException(new Error(WEATHER.error));
      span?.setStatus({ code: SpanStatusCode.ERROR, message: WEATHER.error });
      return { error: WEATHER.error };
    };

    const answer = (await traceloop.withWorkflow(
      { name: TRACELOOP.workflow, ...(o.sessionId ? { associationProperties: { session_id: o.sessionId } } : {}) },
      async () => {
        const traceId = trace.getActiveSpan()?.spanContext().traceId;
        if (traceId) traceIds.add(traceId);
        const messages: ChatCompletionMessageParam[] = [
          { role: "system", content: WEATHER.system },
          { role: "user", content: WEATHER.prompt },
        ];
        for (let turn = 0; turn < 4; turn++) {
          const r = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools });
          const msg = r.choices[0]!.message;
          const calls = (msg.tool_calls ?? []).filter((c): c is ChatCompletionMessageFunctionToolCall => c.type === "function");
          if (!calls.length) return msg.content ?? "";
          messages.push({ role: "assistant", content: msg.content, tool_calls: calls });
          for (const call of calls) {
            const args = JSON.parse(call.function.arguments) as { city: string };
            const result = await traceloop.withTool({ name: call.function.name }, getWeather, args);
            messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(result) });
          }
        }
        throw new Error("agent did not finish");
      },
    )) as string;
    await traceloop.forceFlush();
    return { traceIds: [...traceIds], answer };
  } finally {
    await fake.close();
  }
}

/**
 * The Vercel AI SDK (ai@6) under Traceloop: `initialize` registers its NodeSDK globally, so `generateText` with
 * `experimental_telemetry: { isEnabled: true }` (no tracer) records through it, and Traceloop's span processor rewrites
 * the AI SDK spans before export (`ai.generateText` -> `{agent}.agent`, `ai.generateText.doGenerate` -> `chat {model}`,
 * `ai.toolCall` -> `execute_tool {tool}`, ai.* content moved to gen_ai.* / traceloop.*).
 */
export type TraceloopAiSdkOptions = ProducerBase & { sessionId?: string };

export async function runTraceloopAiSdk(o: TraceloopAiSdkOptions): Promise<TraceloopResult> {
  const { generateText, stepCountIs, tool } = await import("ai");
  const { MockLanguageModelV3 } = await import("ai/test");
  const { z } = await import("zod");
  if (!initialized) {
    traceloop.initialize({
      appName: "traceloop-ai-sdk",
      baseUrl: o.endpoint,
      headers: o.headers,
      disableBatch: true,
      traceloopSyncEnabled: false,
      silenceInitializationMessage: true,
    });
    initialized = true;
  }
  const usage = (u: { input: number; output: number }) => ({
    inputTokens: { total: u.input, noCache: u.input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: u.output, text: u.output, reasoning: undefined },
  });
  const [u1, u2] = TRACELOOP_AI.usage;
  let call = 0;
  const model = new MockLanguageModelV3({
    doGenerate: async () =>
      call++ === 0
        ? {
            content: [
              { type: "tool-call", toolCallId: TRACELOOP_AI.toolCallId, toolName: WEATHER.toolName, input: '{"city":"Paris"}' },
            ],
            finishReason: { unified: "tool-calls", raw: "tool_calls" },
            usage: usage(u1),
            warnings: [],
          }
        : {
            content: [{ type: "text", text: WEATHER.answer }],
            finishReason: { unified: "stop", raw: "stop" },
            usage: usage(u2),
            warnings: [],
          },
  });
  const traceIds = new Set<string>();
  const r = await generateText({
    model,
    system: WEATHER.system,
    prompt: WEATHER.prompt,
    tools: {
      [WEATHER.toolName]: tool({
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          const traceId = trace.getActiveSpan()?.spanContext().traceId;
          if (traceId) traceIds.add(traceId);
          return { ...WEATHER.result, city };
        },
      }),
    },
    stopWhen: stepCountIs(3),
    experimental_telemetry: {
      isEnabled: true,
      functionId: TRACELOOP_AI.functionId,
      metadata: { agent: TRACELOOP_AI.agent, ...(o.sessionId ? { sessionId: o.sessionId } : {}) },
    },
  });
  await traceloop.forceFlush();
  return { traceIds: [...traceIds], answer: r.text };
}
