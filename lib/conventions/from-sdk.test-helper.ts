import type { HrTime } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { Attributes, AttrValue, Span } from "@/lib/otlp/types";

/**
 * Tests only: run a real instrumented SDK in-process and get its spans in the decoded
 * OTLP shape (`Span` of lib/otlp/types.ts), so convention families are checked against
 * the keys the SDKs really emit rather than against our reading of their docs.
 */

/** A tracer provider exporting to memory, registered globally (context propagation for nested spans). */
export function inMemoryTracing(): { provider: NodeTracerProvider; exporter: InMemorySpanExporter; spans(): Span[] } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return { provider, exporter, spans: () => exporter.getFinishedSpans().map(fromReadableSpan) };
}

export function fromReadableSpan(s: ReadableSpan): Span {
  const ctx = s.spanContext();
  const parent = s.parentSpanContext?.spanId;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: parent && !/^0+$/.test(parent) ? parent : null,
    name: s.name,
    // The OTel API enum starts at INTERNAL = 0; the proto enum at UNSPECIFIED = 0.
    kind: s.kind + 1,
    startNs: hrToNs(s.startTime),
    endNs: s.ended ? hrToNs(s.endTime) : null,
    status: { code: s.status.code, message: s.status.message ?? "" },
    attributes: toAttributes(s.attributes),
    events: s.events.map((e) => ({ name: e.name, timeNs: hrToNs(e.time), attributes: toAttributes(e.attributes ?? {}) })),
    links: s.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: toAttributes(l.attributes ?? {}),
    })),
    resource: { attributes: toAttributes(s.resource.attributes as Record<string, unknown>) },
    scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version ?? "", attributes: {} },
  };
}

/** The span named `name` (the last one when several share it), or a test failure. */
export function spanNamed(spans: Span[], name: string | RegExp): Span {
  const found = spans.filter((s) => (typeof name === "string" ? s.name === name : name.test(s.name)));
  if (!found.length) throw new Error(`no span named ${name}; spans: ${spans.map((s) => s.name).join(", ")}`);
  return found[found.length - 1]!;
}

function hrToNs(t: HrTime): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

function toAttributes(attrs: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const k in attrs) {
    const v = toValue(attrs[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function toValue(v: unknown): AttrValue | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return v;
  if (Array.isArray(v)) return v.map((x) => toValue(x) ?? null);
  return String(v);
}
