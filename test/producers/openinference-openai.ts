import { setSession, traceAgent, traceTool } from "@arizeai/openinference-core";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { context } from "@opentelemetry/api";
import OpenAI from "openai";
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ResponseInputItem } from "openai/resources/responses/responses";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import { ensureContextManager, otlpTracing, type ProducerBase, type ProducerResult } from "@/test/producers/otlp";
import { OI_OPENAI, WEATHER, WEATHER_TOOL_DEFINITION } from "@/test/producers/scripts";

/**
 * A hand-written tool loop over the real `openai` client (chat.completions, or the Responses API with
 * `api: "responses"`, against the fake server), traced by
 * `@arizeai/openinference-instrumentation-openai` (patched with `manuallyInstrument(OpenAI)`, as ESM needs) for the
 * model calls and by `@arizeai/openinference-core`'s `traceAgent` / `traceTool` wrappers for the agent and the tool.
 * Spans: `weather-agent` (AGENT, root) -> `OpenAI Chat Completions` | `OpenAI Responses` (LLM), `get_weather` (TOOL,
 * with `tool.name` and `tool_call.id`), `OpenAI Chat Completions` | `OpenAI Responses` (LLM). With `failTool` the tool throws (its span records the error) and
 * the agent reports the failure to the model as the tool message, as agents do.
 *
 * Patches the process-wide `OpenAI` class and registers a context manager: run it in its own process (child.ts).
 */
export type OpenInferenceOpenAiOptions = ProducerBase & { api?: "chat" | "responses"; sessionId?: string; failTool?: boolean };
export type OpenInferenceOpenAiResult = ProducerResult & { answer: string };

export async function runOpenInferenceOpenAi(o: OpenInferenceOpenAiOptions): Promise<OpenInferenceOpenAiResult> {
  ensureContextManager();
  const failTool = o.failTool ?? false;
  const fake = await startFakeOpenAi(OI_OPENAI.script(failTool), OI_OPENAI.model);
  const api = o.api ?? "chat";
  const tracing = otlpTracing({ ...o, serviceName: `openinference-openai-${api}`, processor: "batch" });
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: tracing.provider });
  instrumentation.manuallyInstrument(OpenAI);
  const tracer = tracing.provider.getTracer("weather-agent");
  try {
    const client = new OpenAI({ apiKey: "sk-fake-not-a-key", baseURL: fake.baseURL, maxRetries: 0 });
    const tools = [WEATHER_TOOL_DEFINITION];

    type Call = { id: string; name: string; arguments: string };
    const getWeather = traceTool(
      async (call: Call) => {
        if (failTool) throw new Error(WEATHER.error);
        const { city } = JSON.parse(call.arguments) as { city: string };
        return JSON.stringify({ ...WEATHER.result, city });
      },
      {
        name: WEATHER.toolName,
        tracer,
        processInput: (call) => ({
          "tool.name": call.name,
          "tool_call.id": call.id,
          "input.value": call.arguments,
          "input.mime_type": "application/json",
        }),
        processOutput: (result) => ({ "output.value": result, "output.mime_type": "application/json" }),
      },
    );

    const runTool = (call: Call) => getWeather(call).catch((error: Error) => `error: ${error.message}`);

    const chatLoop = async (question: string) => {
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
          const content = await runTool({ id: call.id, name: call.function.name, arguments: call.function.arguments });
          messages.push({ role: "tool", tool_call_id: call.id, content });
        }
      }
      throw new Error("agent did not finish");
    };

    const responsesLoop = async (question: string) => {
      const input: ResponseInputItem[] = [{ role: "user", content: question }];
      for (let turn = 0; turn < 4; turn++) {
        const r = await client.responses.create({
          model: "gpt-4o-mini",
          instructions: WEATHER.system,
          input,
          tools: tools.map((t) => ({ type: "function" as const, strict: false, ...t.function })),
        });
        const calls = r.output.filter((item) => item.type === "function_call");
        if (!calls.length) return r.output_text;
        for (const call of calls) {
          input.push(call);
          const output = await runTool({ id: call.call_id, name: call.name, arguments: call.arguments });
          input.push({ type: "function_call_output", call_id: call.call_id, output });
        }
      }
      throw new Error("agent did not finish");
    };

    const agent = traceAgent(api === "responses" ? responsesLoop : chatLoop, { name: OI_OPENAI.agent, tracer });

    const ctx = o.sessionId ? setSession(context.active(), { sessionId: o.sessionId }) : context.active();
    const answer = await context.with(ctx, () => agent(WEATHER.prompt));
    return { traceIds: await tracing.finish(), answer };
  } finally {
    instrumentation.disable();
    await fake.close();
  }
}
