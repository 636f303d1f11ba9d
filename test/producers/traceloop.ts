import { SpanStatusCode, trace } from "@opentelemetry/api";
import * as traceloop from "@traceloop/node-server-sdk";
import OpenAI from "openai";
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import type { ProducerBase, ProducerResult } from "@/test/producers/otlp";
import { TRACELOOP, WEATHER } from "@/test/producers/scripts";

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
    const tools = [
      {
        type: "function" as const,
        function: {
          name: WEATHER.toolName,
          description: "Current weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ];
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
