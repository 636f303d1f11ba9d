import { OpenTelemetry } from "@ai-sdk/otel";
import { generateText, isStepCount, tool, ToolLoopAgent } from "ai-v7";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai-v7/test";
import { ensureContextManager, otlpTracing, type ProducerBase, type ProducerResult } from "@/test/producers/otlp";
import { VERCEL_OTEL, WEATHER } from "@/test/producers/scripts";
import { streamTurns, turns, weatherExecute, weatherInput } from "@/test/producers/vercel-ai";

/**
 * The weather agent on AI SDK 7 (`ai-v7`) traced by its OpenTelemetry integration `@ai-sdk/otel`, the way its
 * README and docs set it up: `new OpenTelemetry({ tracer: provider.getTracer("gen_ai") })` as a telemetry
 * integration. It is passed per call (`telemetry.integrations`, which takes precedence over `registerTelemetry`'s
 * global list), so nothing global is left behind for the other producers of the child process. The integration
 * only receives lifecycle events and owns no `ai` state, so its nested `ai@7` copy (same version as `ai-v7`) is not
 * involved beyond error helpers that match by marker.
 *
 * - `agent`: `ToolLoopAgent.generate` (mock `doGenerate`: get_weather, then the answer);
 * - `agent-stream`: `ToolLoopAgent.stream` over the same turns as stream parts (mock `doStream`);
 * - `generateText`: `generateText` with `tools` and `stopWhen`.
 *
 * The session id travels in the agent's runtime context, opted into telemetry with `includeRuntimeContext` and the
 * integration's `runtimeContext: true`: v7 has no telemetry metadata any more.
 */
export type VercelAiOtelOptions = ProducerBase & {
  api: "agent" | "agent-stream" | "generateText";
  failTool?: boolean;
  sessionId?: string;
};
export type VercelAiOtelResult = ProducerResult & { text: string; toolCallIds: string[] };

export async function runVercelAiOtelAgent(o: VercelAiOtelOptions): Promise<VercelAiOtelResult> {
  ensureContextManager();
  const failTool = o.failTool ?? false;
  const tracing = otlpTracing({ ...o, serviceName: VERCEL_OTEL.serviceName, protocol: "protobuf", processor: "batch" });
  const integration = new OpenTelemetry({ tracer: tracing.provider.getTracer("gen_ai"), runtimeContext: true });
  const callId = VERCEL_OTEL.toolCallId(o.api, failTool);
  let call = 0;
  const model =
    o.api === "agent-stream"
      ? new MockLanguageModelV4({
          doStream: (async () => {
            const parts = streamTurns(7, callId);
            return { stream: convertArrayToReadableStream(parts[Math.min(call++, parts.length - 1)]!) };
          }) as unknown as MockLanguageModelV4["doStream"],
        })
      : new MockLanguageModelV4({
          doGenerate: (async () => {
            const scripted = turns(7, callId);
            return scripted[Math.min(call++, scripted.length - 1)]!;
          }) as unknown as MockLanguageModelV4["doGenerate"],
        });
  const settings = {
    model,
    instructions: WEATHER.system,
    tools: {
      [WEATHER.toolName]: tool({ description: "Current weather", inputSchema: weatherInput, execute: weatherExecute(failTool) }),
    },
    stopWhen: isStepCount(3),
    runtimeContext: { sessionId: o.sessionId },
    telemetry: {
      functionId: VERCEL_OTEL.functionId,
      integrations: [integration],
      includeRuntimeContext: { sessionId: true },
    },
  };

  let text: string;
  let steps: { toolCalls: { toolCallId: string }[] }[];
  if (o.api === "generateText") {
    ({ text, steps } = await generateText({ ...settings, prompt: WEATHER.prompt }));
  } else {
    const agent = new ToolLoopAgent(settings);
    if (o.api === "agent") ({ text, steps } = await agent.generate({ prompt: WEATHER.prompt }));
    else {
      const r = await agent.stream({ prompt: WEATHER.prompt });
      await r.consumeStream();
      text = await r.text;
      steps = await r.steps;
    }
  }
  const traceIds = await tracing.finish();
  return { traceIds, text, toolCallIds: steps.flatMap((s) => s.toolCalls.map((c) => c.toolCallId)) };
}
