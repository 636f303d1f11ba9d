/**
 * OTLP/HTTP protobuf decoding of ExportTraceServiceRequest (the collector's hot path).
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/trace/v1/trace.proto
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/collector/trace/v1/trace_service.proto
 *
 * A single pass over the body, no intermediate message objects: each Span goes straight to
 * its decoded form. Switch cases are tags, `field_number * 8 + wire_type`
 * (VARINT 0, I64 1, LEN 2, I32 5); a known field with an unexpected wire type is skipped like
 * an unknown one. Framing errors throw DecodeError; a span with bad ids is only rejected.
 */
import type { Attributes, DecodedTraces, Resource, Scope, Span, SpanEvent, SpanLink } from "@/lib/otlp/types";
import { Reader } from "@/collector/decode/protobuf-reader";
import { readKeyValue, readResource, readScope } from "@/collector/decode/protobuf-common";
import { hexOf, idProblem, isAllZero, optionalId } from "@/collector/decode/ids";
import { addReason, wantsReasons } from "@/collector/decode/reject";

export { decodeLogsProtobuf } from "@/collector/decode/protobuf-logs";

/** Decodes an ExportTraceServiceRequest{1: repeated ResourceSpans}. An empty body is a valid, empty request. */
export function decodeTracesProtobuf(body: Uint8Array): DecodedTraces {
  const r = new Reader(body);
  const out: DecodedTraces = { spans: [], rejected: 0, rejectReasons: [] };
  const end = r.buf.length;
  while (r.pos < end) {
    const tag = r.tag("ExportTraceServiceRequest");
    if (tag === 10) readResourceSpans(r, r.len(tag, "ExportTraceServiceRequest", end), out);
    else r.skip(tag, "ExportTraceServiceRequest", end);
  }
  return out;
}

/** ResourceSpans{1: Resource, 2: repeated ScopeSpans, 3: schema_url}. The resource may come after its spans. */
function readResourceSpans(r: Reader, end: number, out: DecodedTraces): void {
  const resource: Resource = { attributes: {} };
  while (r.pos < end) {
    const tag = r.tag("ResourceSpans");
    if (tag === 10) readResource(r, r.len(tag, "ResourceSpans", end), resource);
    else if (tag === 18) readScopeSpans(r, r.len(tag, "ResourceSpans", end), resource, out);
    else r.skip(tag, "ResourceSpans", end);
  }
  r.done("ResourceSpans", end);
}

/** ScopeSpans{1: InstrumentationScope, 2: repeated Span, 3: schema_url}. */
function readScopeSpans(r: Reader, end: number, resource: Resource, out: DecodedTraces): void {
  const scope: Scope = { name: "", version: "", attributes: {} };
  let index = 0;
  // Reasons are worded once the scope name is known (it may follow the spans on the wire);
  // only the few that will be reported are kept, however many spans are rejected.
  const problems: { index: number; problem: string }[] = [];
  while (r.pos < end) {
    const tag = r.tag("ScopeSpans");
    if (tag === 10) readScope(r, r.len(tag, "ScopeSpans", end), scope);
    else if (tag === 18) {
      const problem = readSpan(r, r.len(tag, "ScopeSpans", end), resource, scope, out.spans);
      if (problem !== null) {
        out.rejected++;
        if (wantsReasons(out, problems.length)) problems.push({ index, problem });
      }
      index++;
    } else r.skip(tag, "ScopeSpans", end);
  }
  r.done("ScopeSpans", end);
  for (const p of problems) addReason(out, `span ${p.index} of scope '${scope.name}': ${p.problem}`);
}

/**
 * Span (fields in the module comment of trace.proto). Pushes the decoded span and returns
 * null, or returns why its ids make it unacceptable.
 */
function readSpan(r: Reader, end: number, resource: Resource, scope: Scope, spans: Span[]): string | null {
  const M = "Span";
  const buf = r.buf;
  let traceStart = 0;
  let traceLen = -1;
  let spanStart = 0;
  let spanLen = -1;
  let parentStart = 0;
  let parentLen = -1;
  let name = "";
  let kind = 0;
  let startNs = 0n;
  let endNs = 0n;
  let statusCode = 0;
  let statusMessage = "";
  const attributes: Attributes = {};
  const events: SpanEvent[] = [];
  const links: SpanLink[] = [];
  while (r.pos < end) {
    const tag = r.tag(M);
    switch (tag) {
      case 10: // 1 trace_id (bytes)
        traceStart = r.lenValue(tag, M, end);
        traceLen = r.pos - traceStart;
        break;
      case 18: // 2 span_id (bytes)
        spanStart = r.lenValue(tag, M, end);
        spanLen = r.pos - spanStart;
        break;
      case 34: // 4 parent_span_id (bytes)
        parentStart = r.lenValue(tag, M, end);
        parentLen = r.pos - parentStart;
        break;
      case 42: // 5 name
        name = r.string(tag, M, end);
        break;
      case 48: // 6 kind (enum); values this version does not know become UNSPECIFIED
        kind = r.uint32(6, M);
        if (kind > 5) kind = 0;
        break;
      case 57: // 7 start_time_unix_nano (fixed64)
        startNs = r.fixed64(tag, M, end);
        break;
      case 65: // 8 end_time_unix_nano (fixed64)
        endNs = r.fixed64(tag, M, end);
        break;
      case 74: // 9 attributes (repeated KeyValue)
        readKeyValue(r, r.len(tag, M, end), attributes, 1);
        break;
      case 90: // 11 events (repeated Event)
        events.push(readEvent(r, r.len(tag, M, end)));
        break;
      case 106: {
        // 13 links (repeated Link); a link with invalid ids is dropped, the span kept
        const link = readLink(r, r.len(tag, M, end));
        if (link) links.push(link);
        break;
      }
      case 122: {
        // 15 status: Status{2: message, 3: code (enum)}; field 1 is the long-removed deprecated_code
        const stop = r.len(tag, M, end);
        while (r.pos < stop) {
          const t = r.tag("Status");
          if (t === 18) statusMessage = r.string(t, "Status", stop);
          else if (t === 24) statusCode = r.uint32(3, "Status");
          else r.skip(t, "Status", stop);
        }
        r.done("Status", stop);
        if (statusCode > 2) statusCode = 0;
        break;
      }
      default:
        // 3 trace_state, 10/12/14 dropped counts, 16 flags, and unknown fields
        r.skip(tag, M, end);
    }
  }
  r.done(M, end);
  const problem = idProblem(buf, traceStart, traceLen, buf, spanStart, spanLen, parentLen);
  if (problem !== null) return problem;
  spans.push({
    traceId: hexOf(buf, traceStart, 16),
    spanId: hexOf(buf, spanStart, 8),
    // absent, empty or all-zero parent = root span
    parentSpanId: parentLen === 8 && !isAllZero(buf, parentStart, 8) ? hexOf(buf, parentStart, 8) : null,
    name,
    kind,
    startNs,
    endNs: endNs === 0n ? null : endNs,
    status: { code: statusCode, message: statusMessage },
    attributes,
    events,
    links,
    resource,
    scope,
  });
  return null;
}

/** Span.Event{1: fixed64 time_unix_nano, 2: name, 3: repeated KeyValue attributes, 4: dropped}. */
function readEvent(r: Reader, end: number): SpanEvent {
  let name = "";
  let timeNs = 0n;
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.tag("Event");
    if (tag === 9) timeNs = r.fixed64(tag, "Event", end);
    else if (tag === 18) name = r.string(tag, "Event", end);
    else if (tag === 26) readKeyValue(r, r.len(tag, "Event", end), attributes, 1);
    else r.skip(tag, "Event", end);
  }
  r.done("Event", end);
  return { name, timeNs, attributes };
}

/** Span.Link{1: trace_id, 2: span_id, 3: trace_state, 4: attributes, 5: dropped, 6: fixed32 flags}. */
function readLink(r: Reader, end: number): SpanLink | null {
  const buf = r.buf;
  let traceStart = 0;
  let traceLen = -1;
  let spanStart = 0;
  let spanLen = -1;
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.tag("Link");
    if (tag === 10) {
      traceStart = r.lenValue(tag, "Link", end);
      traceLen = r.pos - traceStart;
    } else if (tag === 18) {
      spanStart = r.lenValue(tag, "Link", end);
      spanLen = r.pos - spanStart;
    } else if (tag === 34) readKeyValue(r, r.len(tag, "Link", end), attributes, 1);
    else r.skip(tag, "Link", end);
  }
  r.done("Link", end);
  const traceId = optionalId(buf, traceStart, traceLen, 16);
  const spanId = optionalId(buf, spanStart, spanLen, 8);
  return traceId !== null && spanId !== null ? { traceId, spanId, attributes } : null;
}
