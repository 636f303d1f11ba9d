import { createRequire } from "node:module";

/**
 * Optional OpenTelemetry integration. `@opentelemetry/api` is loaded if the agent has
 * it installed (it keeps its state in a global registry, so this copy sees the agent's
 * tracer provider and context manager); without it the client works the same and
 * reports no span ids. Typed structurally so the client needs no OpenTelemetry types.
 */
export type SpanLike = {
  spanContext(): { traceId: string; spanId: string };
  isRecording(): boolean;
  addEvent(name: string, attributes?: Record<string, string | number>): unknown;
};
export type OtelApi = {
  trace: { getActiveSpan(): SpanLike | undefined; getSpan(context: unknown): SpanLike | undefined };
  context: { active(): unknown };
};

let api: OtelApi | null | undefined;

export function otelApi(): OtelApi | null {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)("@opentelemetry/api") as OtelApi;
    } catch {
      api = null;
    }
  }
  return api;
}

const INVALID_TRACE = /^0*$/;

/**
 * The run id for `connectControl`: the trace id of the active span. Call it inside the
 * run's root span (e.g. within `tracer.startActiveSpan("agent run", …)`).
 */
export function runIdFromActiveSpan(): string {
  const api = otelApi();
  if (!api) throw new Error("runIdFromActiveSpan needs @opentelemetry/api; pass runId yourself (the run's trace id).");
  const traceId = api.trace.getActiveSpan()?.spanContext().traceId ?? "";
  if (INVALID_TRACE.test(traceId))
    throw new Error("runIdFromActiveSpan: no active span. Call it inside the run's root span (tracer.startActiveSpan).");
  return traceId;
}

/** The span id of `span`, or undefined for a missing or invalid span. */
export function spanIdOf(span: SpanLike | undefined): string | undefined {
  const id = span?.spanContext().spanId;
  return id && !INVALID_TRACE.test(id) ? id : undefined;
}
