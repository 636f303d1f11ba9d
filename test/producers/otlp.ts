import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

/** What every producer in this folder takes: where the collector is and how to authenticate. */
export type ProducerBase = { endpoint: string; headers: Record<string, string> };

/** What every producer returns: the traces it exported (one run each, when the SDK behaves). */
export type ProducerResult = { traceIds: string[] };

/** Collects the trace ids of ended spans, so a producer can say which runs it made without wrapping the SDK. */
export class TraceIdCollector implements SpanProcessor {
  readonly ids = new Set<string>();
  onStart(_span: Span): void {}
  onEnd(span: ReadableSpan): void {
    this.ids.add(span.spanContext().traceId);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export type OtlpTracing = {
  provider: NodeTracerProvider;
  collector: TraceIdCollector;
  /** Flushes and shuts the provider down; returns the exported trace ids. */
  finish(): Promise<string[]>;
};

/**
 * A tracer provider exporting real OTLP/HTTP to `${endpoint}/v1/traces` (JSON or protobuf; one request per span
 * with `simple`, batched with `batch`). Nothing is registered globally: callers that need a context manager
 * register one themselves (the producers run in their own process, see child.ts).
 */
export function otlpTracing(
  o: ProducerBase & { serviceName: string; protocol?: "json" | "protobuf"; processor?: "simple" | "batch" },
): OtlpTracing {
  const Exporter = o.protocol === "protobuf" ? ProtoExporter : JsonExporter;
  const exporter = new Exporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers });
  const collector = new TraceIdCollector();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.serviceName, "service.instance.id": `${o.serviceName}-1` }),
    spanProcessors: [
      collector,
      o.processor === "simple"
        ? new SimpleSpanProcessor(exporter)
        : new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50 }),
    ],
  });
  return {
    provider,
    collector,
    async finish() {
      await provider.forceFlush();
      await provider.shutdown();
      return [...collector.ids];
    },
  };
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * Registers an AsyncLocalStorage context manager globally, once per process: SDKs that nest spans through the active
 * context (AI SDK, OpenInference wrappers and session attributes) need one. A global side effect: producers calling
 * it run in their own process (child.ts).
 */
export function ensureContextManager(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
}
