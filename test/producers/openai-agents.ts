import { setSession } from "@arizeai/openinference-core";
import { OpenInferenceTracingProcessor } from "@arizeai/openinference-instrumentation-openai-agents";
import { Agent, OpenAIProvider, Runner, setTraceProcessors, setTracingDisabled, tool } from "@openai/agents";
import { context } from "@opentelemetry/api";
import OpenAI from "openai";
import { z } from "zod";
import { startFakeOpenAi } from "@/test/producers/fake-openai";
import { ensureContextManager, otlpTracing, type ProducerBase, type ProducerResult } from "@/test/producers/otlp";
import { AGENTS, WEATHER } from "@/test/producers/scripts";

/**
 * The OpenAI Agents SDK (`@openai/agents`) traced by OpenInference's `OpenInferenceTracingProcessor`, against a fake
 * OpenAI server (Responses API by default, Chat Completions with `api: "chat_completions"`): the Triage agent calls
 * `get_weather`, then hands off to Forecaster, which answers.
 *
 * The model provider (an `openai` client on the fake server's baseURL, dummy key) is passed to a `Runner`. The SDK's
 * own trace processors (the batch exporter to OpenAI) are replaced by the OpenInference processor with our OTLP
 * provider, and tracing is forced on (the SDK turns it off when NODE_ENV=test): both are process-wide settings. The
 * session id is set the OpenInference way (`setSession` on the active context), which needs a global context
 * manager. Run it in its own process (child.ts).
 *
 * Spans (scope @arizeai/openinference-instrumentation-openai-agents): `Weather workflow` (AGENT, root) ->
 * `Triage` / `Forecaster` (AGENT) -> `turn` (CHAIN) -> `response` | `generation` (LLM), `get_weather` (TOOL),
 * `handoff to Forecaster` (TOOL).
 */
export type OpenAiAgentsOptions = ProducerBase & {
  api?: "responses" | "chat_completions";
  sessionId?: string;
  failTool?: boolean;
};
export type OpenAiAgentsResult = ProducerResult & { finalOutput: string; lastAgent: string; requests: string[] };

export async function runOpenAiAgents(o: OpenAiAgentsOptions): Promise<OpenAiAgentsResult> {
  ensureContextManager();
  const api = o.api ?? "responses";
  const fake = await startFakeOpenAi(AGENTS.script(), AGENTS.model);
  const tracing = otlpTracing({ ...o, serviceName: `openai-agents-${api}`, processor: "batch" });
  try {
    const modelProvider = new OpenAIProvider({
      openAIClient: new OpenAI({ apiKey: "sk-fake-not-a-key", baseURL: fake.baseURL }),
      useResponses: api === "responses",
    });
    setTraceProcessors([new OpenInferenceTracingProcessor({ tracerProvider: tracing.provider })]);
    setTracingDisabled(false);

    const forecaster = new Agent({
      name: AGENTS.forecaster,
      instructions: "Write the forecast for the user.",
      handoffDescription: "Writes forecasts",
      model: AGENTS.model,
    });
    const getWeather = tool({
      name: WEATHER.toolName,
      description: "Current weather for a city",
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        if (o.failTool) throw new Error(WEATHER.error);
        return JSON.stringify({ ...WEATHER.result, city });
      },
    });
    const triage = new Agent({
      name: AGENTS.triage,
      instructions: WEATHER.system,
      tools: [getWeather],
      handoffs: [forecaster],
      model: AGENTS.model,
    });
    const ctx = o.sessionId ? setSession(context.active(), { sessionId: o.sessionId }) : context.active();
    const result = await context.with(ctx, () =>
      new Runner({ modelProvider, workflowName: AGENTS.workflow }).run(triage, WEATHER.prompt),
    );
    return {
      traceIds: await tracing.finish(),
      finalOutput: String(result.finalOutput),
      lastAgent: result.lastAgent?.name ?? "",
      requests: fake.requests.map((r) => r.path),
    };
  } finally {
    await fake.close();
  }
}
