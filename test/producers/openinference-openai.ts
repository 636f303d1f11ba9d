import { setSession, traceAgent, traceTool } from "@arizeai/openinference-core";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import OpenAI from "openai";
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import { otlpTracing, type ProducerBase, type ProducerResult } from "@/test/producers/otlp";
import { OI_OPENAI, WEATHER } from "@/test/producers/scripts";

/**
 * A hand-written tool loop over the real `openai` client (chat.completions against the fake server), traced by
 * `@arizeai/openinference-instrumentation-openai` (patched with `manuallyInstrument(OpenAI)`, as ESM needs) for the
 * model calls and by `@arizeai/openinference-core`'s `traceAgent` / `traceTool` wrappers for the agent and the tool.
 * Spans: `weather-agent` (AGENT, root) -> `OpenAI Chat Completions` (LLM), `get_weather` (TOOL, with `tool.name` and
 * `tool_call.id`), `OpenAI Chat Completions` (LLM). With `failTool` the tool throws (its span records the error) and
 * the agent reports the failure to the model as the tool message, as agents do.
 *
 * Patches the process-wide `OpenAI` class and registers a context manager: run it in its own process (child.ts).
 */
export type OpenInferenceOpenAiOptions = ProducerBase & { sessionId?: string; failTool?: boolean };
export type OpenInferenceOpenAiResult = ProducerResult & { answer: string };

let contextManager: AsyncLocalStorageContextManager | undefined;

export async function runOpenInferenceOpenAi(o: OpenInferenceOpenAiOptions): Promise<OpenInferenceOpenAiResult> {
  if (!contextManager) {
    contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
  }
  const failTool = o.failTool ?? false;
  const fake = await startFakeOpenAi(OI_OPENAI.script(failTool), OI_OPENAI.model);
  const tracing = otlpTracing({ ...o, serviceName: "openinference-openai", processor: "batch" });
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: tracing.provider });
  instrumentation.manuallyInstrument(OpenAI);
  const tracer = tracing.provider.getTracer("weather-agent");
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

    const getWeather = traceTool(
      async (call: ChatCompletionMessageFunctionToolCall) => {
        if (failTool) throw new Error(WEATHER.error);
        const { city } = JSON.parse(call.function.arguments) as { city: string };
        return JSON.stringify({ ...WEATHER.result, city });
      },
      {
        name: WEATHER.toolName,
        tracer,
        processInput: (call) => ({
          "tool.name": call.function.name,
          "tool_call.id": call.id,
          "input.value": call.function.arguments,
          "input.mime_type": "application/json",
        }),
        processOutput: (result) => ({ "output.value": result, "output.mime_type": "application/json" }),
      },
    );

    const agent = traceAgent(
      async (question: string) => {
        const messages: ChatCompletionMessageParam[] = [
          { role: "system", content: WEATHER.system },
          { role: "user", content: question },
        ];
        for (let turn = 0; turn < 4; turn++) {
          const r = await client.chat.completions.create({ model: "gpt-4o-mini", messages, tools });
          const msg = r.choices[0]!.message;
          const calls = (msg.tool_calls ?? []).filter((c): c is ChatCompletionMessageFunctionToolCall => c.type === "function");
          if (!calls.length) return msg.content ?? "";
          messages.push({ role: "assistant", content: msg.content, tool_calls: calls });
          for (const call of calls) {
            const content = await getWeather(call).catch((error: Error) => `error: ${error.message}`);
            messages.push({ role: "tool", tool_call_id: call.id, content });
          }
        }
        throw new Error("agent did not finish");
      },
      { name: OI_OPENAI.agent, tracer },
    );

    const ctx = o.sessionId ? setSession(context.active(), { sessionId: o.sessionId }) : context.active();
    const answer = await context.with(ctx, () => agent(WEATHER.prompt));
    return { traceIds: await tracing.finish(), answer };
  } finally {
    instrumentation.disable();
    await fake.close();
  }
}
