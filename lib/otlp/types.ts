/**
 * OTLP trace data after decoding, independent of the wire format (protobuf or JSON).
 * Conversions happen once at the boundary (collector/decode): ids become lower-case
 * hex, nanosecond times become bigint, AnyValues become plain JS values.
 * Spec: https://github.com/open-telemetry/opentelemetry-proto (v1.x, trace/v1/trace.proto)
 */

/** An OTLP AnyValue as a plain value: string, boolean, number (double, or int64 within 2^53), bigint (int64 beyond), bytes, array or key-value list. */
export type AttrValue = string | number | bigint | boolean | null | Uint8Array | AttrValue[] | { [key: string]: AttrValue };
export type Attributes = Record<string, AttrValue>;

/** Span kinds as in the proto enum. */
export const SpanKind = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
/** Status codes as in the proto enum. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type SpanEvent = { name: string; timeNs: bigint; attributes: Attributes };
export type SpanLink = { traceId: string; spanId: string; attributes: Attributes };

/** Shared by all spans of one ResourceSpans / ScopeSpans: the same object, not a copy. */
export type Resource = { attributes: Attributes };
export type Scope = { name: string; version: string; attributes: Attributes };

export type Span = {
  /** 32 lower-case hex characters. */
  traceId: string;
  /** 16 lower-case hex characters. */
  spanId: string;
  /** 16 lower-case hex characters, or null for a root span (empty/absent/all-zero on the wire). */
  parentSpanId: string | null;
  name: string;
  /** SpanKind (0–5). */
  kind: number;
  startNs: bigint;
  /** null when the wire value is 0 (span not ended). */
  endNs: bigint | null;
  /** StatusCode (0–2) and message. */
  status: { code: number; message: string };
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Resource;
  scope: Scope;
};

/** The result of decoding one export request: valid spans plus what was rejected and why. */
export type DecodedTraces = {
  spans: Span[];
  /** Spans that could not be accepted (invalid ids…): counted, described, never stored. */
  rejected: number;
  /** Human-readable reasons, at most a handful, for the partial_success error_message. */
  rejectReasons: string[];
};

/** A log record (OTLP logs), kept for frameworks that send GenAI events as logs. */
export type LogRecord = {
  traceId: string | null;
  spanId: string | null;
  timeNs: bigint;
  severityText: string;
  body: AttrValue;
  attributes: Attributes;
  eventName: string;
  resource: Resource;
  scope: Scope;
};
export type DecodedLogs = { records: LogRecord[]; rejected: number; rejectReasons: string[] };
