import { context, trace, SpanStatusCode, type Span } from "@opentelemetry/api";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * A hand-written agent loop instrumented with the raw OpenTelemetry JS SDK and the
 * GenAI semantic conventions (current attribute form), exporting real OTLP/HTTP.
 * One run: invoke_agent -> chat (decides get_weather) -> execute_tool -> chat (answers).
 */
export type ProducerOptions = {
  endpoint: string;
  headers: Record<string, string>;
  protocol?: "json" | "protobuf";
  /** SimpleSpanProcessor posts each span as it ends (children before parents). */
  processor?: "simple" | "batch";
  serviceName?: string;
  conversationId?: string;
  failTool?: boolean;
  /** Extra text placed in the user message (e.g. a seeded secret). */
  userText?: string;
};

export async function runGenAiAgent(o: ProducerOptions): Promise<{ traceId: string }> {
  const Exporter = o.protocol === "protobuf" ? ProtoExporter : JsonExporter;
  const exporter = new Exporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.serviceName ?? "weather-agent", "service.instance.id": "instance-1" }),
    spanProcessors: [o.processor === "batch" ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("weather-agent", "1.0.0");
  const child = (parent: Span, name: string, attributes: Record<string, string | number | string[]>) =>
    tracer.startSpan(name, { attributes }, trace.setSpan(context.active(), parent));

  const user = { role: "user", parts: [{ type: "text", content: `What is the weather in Paris? ${o.userText ?? ""}`.trim() }] };
  const system = [{ type: "text", content: "You are a weather assistant." }];
  const root = tracer.startSpan("invoke_agent weather-agent", {
    attributes: {
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "weather-agent",
      "gen_ai.provider.name": "openai",
      ...(o.conversationId ? { "gen_ai.conversation.id": o.conversationId } : {}),
    },
  });
  const toolCall = { type: "tool_call", id: "call_weather_1", name: "get_weather", arguments: { city: "Paris" } };
  const chat1 = child(root, "chat gpt-4o", {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.response.model": "gpt-4o-2024-08-06",
    "gen_ai.usage.input_tokens": 52,
    "gen_ai.usage.output_tokens": 17,
    "gen_ai.system_instructions": JSON.stringify(system),
    "gen_ai.input.messages": JSON.stringify([user]),
    "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [toolCall], finish_reason: "tool_calls" }]),
    "gen_ai.response.finish_reasons": ["tool_calls"],
  });
  chat1.end();
  const tool = child(root, "execute_tool get_weather", {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.call.id": "call_weather_1",
    "gen_ai.tool.call.arguments": JSON.stringify({ city: "Paris" }),
    ...(o.failTool ? {} : { "gen_ai.tool.call.result": JSON.stringify({ temperature_c: 18, sky: "cloudy" }) }),
  });
  if (o.failTool) {
    tool.recordException(new Error("weather service unavailable"));
    tool.setStatus({ code: SpanStatusCode.ERROR, message: "weather service unavailable" });
  }
  tool.end();
  const chat2 = child(root, "chat gpt-4o", {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
    "gen_ai.usage.input_tokens": 88,
    "gen_ai.usage.output_tokens": 21,
    "gen_ai.system_instructions": JSON.stringify(system),
    "gen_ai.input.messages": JSON.stringify([
      user,
      { role: "assistant", parts: [toolCall] },
      {
        role: "tool",
        parts: [{ type: "tool_call_response", id: "call_weather_1", response: { temperature_c: 18, sky: "cloudy" } }],
      },
    ]),
    "gen_ai.output.messages": JSON.stringify([
      { role: "assistant", parts: [{ type: "text", content: "It is 18°C and cloudy in Paris." }], finish_reason: "stop" },
    ]),
  });
  chat2.end();
  if (o.failTool) root.setStatus({ code: SpanStatusCode.ERROR, message: "tool failed" });
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return { traceId: root.spanContext().traceId };
}
