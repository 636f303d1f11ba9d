/**
 * OTLP/HTTP protobuf decoding of ExportLogsServiceRequest.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/logs/v1/logs.proto
 *
 * Log records are kept for frameworks that send GenAI events as logs. Their trace/span ids are
 * optional (a log need not belong to a span): missing or invalid ids become null, the record is
 * never rejected for them. Switch cases are tags, `field_number * 8 + wire_type`.
 */
import type { AttrValue, Attributes, DecodedLogs, Resource, Scope } from "@/lib/otlp/types";
import { Reader } from "@/collector/decode/protobuf-reader";
import { readAnyValue, readKeyValue, readResource, readScope } from "@/collector/decode/protobuf-common";
import { optionalId } from "@/collector/decode/ids";

/** Decodes an ExportLogsServiceRequest{1: repeated ResourceLogs}. */
export function decodeLogsProtobuf(body: Uint8Array): DecodedLogs {
  const r = new Reader(body);
  const out: DecodedLogs = { records: [], rejected: 0, rejectReasons: [] };
  const end = r.buf.length;
  while (r.pos < end) {
    const tag = r.tag("ExportLogsServiceRequest");
    if (tag === 10) readResourceLogs(r, r.len(tag, "ExportLogsServiceRequest", end), out);
    else r.skip(tag, "ExportLogsServiceRequest", end);
  }
  return out;
}

/** ResourceLogs{1: Resource, 2: repeated ScopeLogs, 3: schema_url}. */
function readResourceLogs(r: Reader, end: number, out: DecodedLogs): void {
  const resource: Resource = { attributes: {} };
  while (r.pos < end) {
    const tag = r.tag("ResourceLogs");
    if (tag === 10) readResource(r, r.len(tag, "ResourceLogs", end), resource);
    else if (tag === 18) readScopeLogs(r, r.len(tag, "ResourceLogs", end), resource, out);
    else r.skip(tag, "ResourceLogs", end);
  }
  r.done("ResourceLogs", end);
}

/** ScopeLogs{1: InstrumentationScope, 2: repeated LogRecord, 3: schema_url}. */
function readScopeLogs(r: Reader, end: number, resource: Resource, out: DecodedLogs): void {
  const scope: Scope = { name: "", version: "", attributes: {} };
  while (r.pos < end) {
    const tag = r.tag("ScopeLogs");
    if (tag === 10) readScope(r, r.len(tag, "ScopeLogs", end), scope);
    else if (tag === 18) readLogRecord(r, r.len(tag, "ScopeLogs", end), resource, scope, out);
    else r.skip(tag, "ScopeLogs", end);
  }
  r.done("ScopeLogs", end);
}

/**
 * LogRecord{1: fixed64 time_unix_nano, 11: fixed64 observed_time_unix_nano, 2: severity_number,
 * 3: severity_text, 5: AnyValue body, 6: attributes, 7: dropped, 8: fixed32 flags,
 * 9: trace_id, 10: span_id, 12: event_name}. The time falls back to the observed time when
 * absent, as the spec advises receivers.
 */
function readLogRecord(r: Reader, end: number, resource: Resource, scope: Scope, out: DecodedLogs): void {
  const M = "LogRecord";
  const buf = r.buf;
  let timeNs = 0n;
  let observedNs = 0n;
  let severityText = "";
  let body: AttrValue = null;
  let eventName = "";
  let traceStart = 0;
  let traceLen = -1;
  let spanStart = 0;
  let spanLen = -1;
  const attributes: Attributes = {};
  while (r.pos < end) {
    const tag = r.tag(M);
    switch (tag) {
      case 9: // 1 time_unix_nano
        timeNs = r.fixed64(tag, M, end);
        break;
      case 89: // 11 observed_time_unix_nano
        observedNs = r.fixed64(tag, M, end);
        break;
      case 26: // 3 severity_text
        severityText = r.string(tag, M, end);
        break;
      case 42: // 5 body
        body = readAnyValue(r, r.len(tag, M, end), 1);
        break;
      case 50: // 6 attributes
        readKeyValue(r, r.len(tag, M, end), attributes, 1);
        break;
      case 74: // 9 trace_id
        traceStart = r.lenValue(tag, M, end);
        traceLen = r.pos - traceStart;
        break;
      case 82: // 10 span_id
        spanStart = r.lenValue(tag, M, end);
        spanLen = r.pos - spanStart;
        break;
      case 98: // 12 event_name
        eventName = r.string(tag, M, end);
        break;
      default:
        // 2 severity_number, 7 dropped count, 8 flags, unknown fields
        r.skip(tag, M, end);
    }
  }
  r.done(M, end);
  out.records.push({
    traceId: optionalId(buf, traceStart, traceLen, 16),
    spanId: optionalId(buf, spanStart, spanLen, 8),
    timeNs: timeNs === 0n ? observedNs : timeNs,
    severityText,
    body,
    attributes,
    eventName,
    resource,
    scope,
  });
}
