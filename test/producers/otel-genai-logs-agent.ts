import { context, trace, type Span } from "@opentelemetry/api";
import type { AnyValue, AnyValueMap } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ProtobufLogsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * A hand-written agent loop that sends its conversation as OpenTelemetry GenAI *events on logs* (the real logs
 * SDK, each record in the context of its model call span), while its spans (the real trace SDK) carry no messages.
 * One run: invoke_agent -> chat (decides get_weather) -> execute_tool -> chat (answers).
 *
 * The spans and records are recorded in memory first and sent by the real OTLP/HTTP exporters when the test
 * says so, so a test chooses the order (logs before spans, spans before logs, both at once) and can redeliver.
 */
export type LogsAgentOptions = {
  endpoint: string;
  headers: Record<string, string>;
  /** "events": the older per-message events (body = message); "details": one operation-details event per call. */
  form: "events" | "details";
  /** Where the event name travels: the record's event_name (current SDKs) or an `event.name` attribute (older). */
  eventNameIn?: "field" | "attribute";
  /** json: the SDK's OTLP/HTTP JSON exporter; protobuf: the SDK's protobuf serializer, posted as is. */
  logsProtocol?: "json" | "protobuf";
  /** Extra text placed in the user message (e.g. a seeded secret). */
  userText?: string;
};

export type RecordedLogsAgent = {
  traceId: string;
  spans: { root: string; chat1: string; tool: string; chat2: string };
  records: number;
  sendSpans(): Promise<void>;
  sendLogs(): Promise<void>;
};

const SYSTEM = "You are a weather assistant.";
const CALL_ID = "call_weather_1";
const ARGS = '{"city":"Paris"}';
const RESULT = '{"temperature_c":18,"sky":"cloudy"}';
const ANSWER = "It is 18°C and cloudy in Paris.";

export async function recordLogsAgent(o: LogsAgentOptions): Promise<RecordedLogsAgent> {
  const resource = resourceFromAttributes({ "service.name": "weather-agent-logs", "service.instance.id": "instance-1" });
  const spanMemory = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spanMemory)] });
  const logMemory = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logMemory })] });
  const tracer = tracerProvider.getTracer("weather-agent-logs", "1.0.0");
  const logger = loggerProvider.getLogger("weather-agent-logs", "1.0.0");

  const emit = (span: Span, eventName: string, body: AnyValue, attributes: AnyValueMap = {}) =>
    logger.emit({
      ...(o.eventNameIn === "attribute" ? {} : { eventName }),
      body,
      attributes: {
        "gen_ai.system": "openai",
        ...(o.eventNameIn === "attribute" ? { "event.name": eventName } : {}),
        ...attributes,
      },
      context: trace.setSpan(context.active(), span),
    });
  const user = `What is the weather in Paris? ${o.userText ?? ""}`.trim();
  const toolCall = { id: CALL_ID, type: "function", function: { name: "get_weather", arguments: ARGS } };

  // Explicit times (ms after now), as a real loop whose model calls take a while: calls never start together.
  const t0 = Date.now();
  const at = (ms: number) => new Date(t0 + ms);
  const root = tracer.startSpan("invoke_agent weather-agent", {
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather-agent" },
    startTime: at(0),
  });
  const inRoot = trace.setSpan(context.active(), root);
  const chatAttributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o",
  };

  const chat1 = tracer.startSpan(
    "chat gpt-4o",
    { attributes: { ...chatAttributes, "gen_ai.usage.input_tokens": 52 }, startTime: at(10) },
    inRoot,
  );
  if (o.form === "events") {
    emit(chat1, "gen_ai.system.message", { content: SYSTEM });
    emit(chat1, "gen_ai.user.message", { content: user });
    emit(chat1, "gen_ai.choice", {
      index: 0,
      finish_reason: "tool_calls",
      message: { role: "assistant", tool_calls: [toolCall] },
    });
  } else {
    emit(chat1, "gen_ai.client.inference.operation.details", null, {
      "gen_ai.operation.name": "chat",
      "gen_ai.system_instructions": [{ type: "text", content: SYSTEM }],
      "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: user }] }],
      "gen_ai.output.messages": [
        {
          role: "assistant",
          parts: [{ type: "tool_call", id: CALL_ID, name: "get_weather", arguments: { city: "Paris" } }],
          finish_reason: "tool_calls",
        },
      ],
    });
  }
  chat1.end(at(400));

  const tool = tracer.startSpan(
    "execute_tool get_weather",
    {
      attributes: {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "get_weather",
        "gen_ai.tool.call.id": CALL_ID,
        "gen_ai.tool.call.arguments": ARGS,
        "gen_ai.tool.call.result": RESULT,
      },
      startTime: at(410),
    },
    inRoot,
  );
  tool.end(at(500));

  const chat2 = tracer.startSpan(
    "chat gpt-4o",
    { attributes: { ...chatAttributes, "gen_ai.usage.input_tokens": 88 }, startTime: at(510) },
    inRoot,
  );
  if (o.form === "events") {
    emit(chat2, "gen_ai.system.message", { content: SYSTEM });
    emit(chat2, "gen_ai.user.message", { content: user });
    emit(chat2, "gen_ai.assistant.message", { tool_calls: [toolCall] });
    emit(chat2, "gen_ai.tool.message", { id: CALL_ID, content: RESULT });
    emit(chat2, "gen_ai.choice", { index: 0, finish_reason: "stop", message: { role: "assistant", content: ANSWER } });
  } else {
    emit(chat2, "gen_ai.client.inference.operation.details", null, {
      "gen_ai.operation.name": "chat",
      "gen_ai.system_instructions": [{ type: "text", content: SYSTEM }],
      "gen_ai.input.messages": [
        { role: "user", parts: [{ type: "text", content: user }] },
        { role: "assistant", parts: [{ type: "tool_call", id: CALL_ID, name: "get_weather", arguments: { city: "Paris" } }] },
        { role: "tool", parts: [{ type: "tool_call_response", id: CALL_ID, response: RESULT }] },
      ],
      "gen_ai.output.messages": [{ role: "assistant", parts: [{ type: "text", content: ANSWER }], finish_reason: "stop" }],
    });
  }
  chat2.end(at(900));
  root.end(at(910));

  // The processors hand records and spans to the exporters asynchronously (after the resource settles).
  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);
  const spans = spanMemory.getFinishedSpans();
  const records = logMemory.getFinishedLogRecords();
  const sendLogs =
    o.logsProtocol === "protobuf"
      ? () => postProtobuf(`${o.endpoint}/v1/logs`, o.headers, records)
      : () => send(new OTLPLogExporter({ url: `${o.endpoint}/v1/logs`, headers: o.headers }), records);
  return {
    traceId: root.spanContext().traceId,
    spans: {
      root: root.spanContext().spanId,
      chat1: chat1.spanContext().spanId,
      tool: tool.spanContext().spanId,
      chat2: chat2.spanContext().spanId,
    },
    records: records.length,
    // A new exporter per delivery, as a restarted process or a retry would send it.
    sendSpans: () => send(new OTLPTraceExporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers }), spans),
    sendLogs,
  };
}

type ExportResult = { code: number; error?: Error };
type Exporter<T> = { export(items: T[], done: (r: ExportResult) => void): void; shutdown(): Promise<void> };

async function send<T>(exporter: Exporter<T>, items: T[]): Promise<void> {
  const result = await new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
  await exporter.shutdown();
  if (result.code !== 0) throw result.error ?? new Error("export failed"); // ExportResultCode.SUCCESS
}

async function postProtobuf(url: string, headers: Record<string, string>, records: ReadableLogRecord[]): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-protobuf" },
    body: Buffer.from(ProtobufLogsSerializer.serializeRequest(records)!),
  });
  if (res.status !== 200) throw new Error(`POST /v1/logs: ${res.status} ${await res.text()}`);
}
