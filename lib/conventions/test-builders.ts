import type { Attributes, Scope, Span, SpanEvent } from "@/lib/otlp/types";

/**
 * Builders for convention tests: a decoded `Span` with sensible defaults (an ended, internal, unset-status
 * root span of service "test-agent"), overridden by whatever the test passes. Ids are valid lower-case hex.
 *
 *   buildSpan({ name: "chat gpt-4o", scope: scope("@traceloop/instrumentation-openai"), attributes: {…} })
 */
export function buildSpan(partial: Partial<Span> & { attributes?: Attributes } = {}): Span {
  return {
    traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    spanId: "00f067aa0ba902b7",
    parentSpanId: null,
    name: "span",
    kind: 1,
    startNs: 1_700_000_000_000_000_000n,
    endNs: 1_700_000_000_500_000_000n,
    status: { code: 0, message: "" },
    events: [],
    links: [],
    resource: { attributes: { "service.name": "test-agent" } },
    scope: scope("test"),
    ...partial,
    attributes: partial.attributes ?? {},
  };
}

/** An instrumentation scope with the given name (and optional version). */
export function scope(name: string, version = ""): Scope {
  return { name, version, attributes: {} };
}

/** A span event; times increase with `offsetMs` from the default span start. */
export function buildEvent(name: string, attributes: Attributes = {}, offsetMs = 0): SpanEvent {
  return { name, timeNs: 1_700_000_000_000_000_000n + BigInt(offsetMs) * 1_000_000n, attributes };
}
