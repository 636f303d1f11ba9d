import { context, type Context, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { AgentOptions } from "@/demo/agents/types";

/**
 * One run's tracing: its own tracer provider exporting real OTLP/HTTP (JSON or protobuf) to the collector, batched
 * with a short delay so a long run shows up while it is still going. Nothing is registered globally here; the agents
 * call `ensureContextManager()` (the AI SDK nests spans through the active context, and a control client called from
 * the hooks looks for the active span).
 */
export type RunTracing = {
  tracer: Tracer;
  /** The trace id of the first root span, once one started. */
  runId(): string | undefined;
  /** Calls hooks.onRunStarted once, then hooks.beforeStep; checks the signal before and after. */
  beforeStep(active?: Context): Promise<void>;
  /** Flushes every span and shuts the provider down; returns how many spans were exported. */
  finish(): Promise<number>;
};

class RunWatcher implements SpanProcessor {
  runId: string | undefined;
  ended = 0;
  onStart(span: Span): void {
    if (!span.parentSpanContext) this.runId ??= span.spanContext().traceId;
  }
  onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export function startRunTracing(
  o: AgentOptions & { serviceName: string; serviceVersion: string; protocol: "json" | "protobuf" },
): RunTracing {
  const Exporter = o.protocol === "protobuf" ? ProtoExporter : JsonExporter;
  const exporter = new Exporter({ url: `${o.endpoint.replace(/\/+$/, "")}/v1/traces`, headers: o.headers });
  const watcher = new RunWatcher();
  const instanceId = `${o.serviceName}-${process.pid}`;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": o.serviceName,
      "service.version": o.serviceVersion,
      "service.instance.id": instanceId,
      "deployment.environment.name": "demo",
    }),
    spanProcessors: [watcher, new BatchSpanProcessor(exporter, { scheduledDelayMillis: 250 })],
  });
  let announced = false;
  return {
    tracer: provider.getTracer(o.serviceName, o.serviceVersion),
    runId: () => watcher.runId,
    async beforeStep(active) {
      o.signal?.throwIfAborted();
      const call = async () => {
        if (!announced && watcher.runId) {
          announced = true;
          await o.hooks?.onRunStarted?.(watcher.runId, { serviceName: o.serviceName, instanceId });
        }
        await o.hooks?.beforeStep?.();
      };
      // A control client that marks where a halt took effect finds the current span as the active one.
      await (active ? context.with(active, call) : call());
      o.signal?.throwIfAborted();
    },
    async finish() {
      await provider.forceFlush();
      await provider.shutdown();
      return watcher.ended;
    },
  };
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * The AI SDK nests its spans through the active context, which needs a context manager: registers an
 * AsyncLocalStorage one globally, once per process (a no-op when the host already registered one).
 */
export function ensureContextManager(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager)) contextManager.disable();
}
