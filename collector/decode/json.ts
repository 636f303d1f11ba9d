/**
 * OTLP/HTTP JSON decoding of ExportTraceServiceRequest and ExportLogsServiceRequest
 * (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). Produces exactly what the
 * protobuf decoders produce for the same data; conversion rules are in json-common.ts.
 *
 * Invalid JSON, a non-object request or a value of the wrong shape throws DecodeError naming
 * the place (e.g. "resourceSpans[0].scopeSpans[1].spans[2]: startTimeUnixNano must be …").
 */
import type { DecodedLogs, DecodedTraces, LogRecord, Resource, Scope, Span, SpanEvent, SpanLink } from "@/lib/otlp/types";
import { DecodeError } from "@/collector/decode/errors";
import { hexOf, isAllZero } from "@/collector/decode/ids";
import { reject } from "@/collector/decode/reject";
import {
  type Obj,
  anyValue,
  asArray,
  asEnum,
  asObj,
  asString,
  asUint64,
  field,
  idOf,
  jsonIdProblem,
  keyValues,
  parseRoot,
  resourceOf,
  scopeOf,
} from "@/collector/decode/json-common";

const SPAN_KINDS = [
  "SPAN_KIND_UNSPECIFIED",
  "SPAN_KIND_INTERNAL",
  "SPAN_KIND_SERVER",
  "SPAN_KIND_CLIENT",
  "SPAN_KIND_PRODUCER",
  "SPAN_KIND_CONSUMER",
] as const;
const STATUS_CODES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"] as const;

/** Prefixes a DecodeError with the path of the item being decoded. */
function at(where: string, e: unknown): unknown {
  return e instanceof DecodeError ? new DecodeError(`${where}: ${e.message}`) : e;
}

export function decodeTracesJson(text: string): DecodedTraces {
  const root = parseRoot(text);
  const out: DecodedTraces = { spans: [], rejected: 0, rejectReasons: [] };
  let where = "resourceSpans";
  try {
    const resourceSpans = asArray(field(root, "resourceSpans", "resource_spans"), where);
    for (let i = 0; i < resourceSpans.length; i++) {
      where = `resourceSpans[${i}]`;
      const rs = asObj(resourceSpans[i], "ResourceSpans") ?? {};
      const resource = resourceOf(field(rs, "resource"));
      const scopeSpans = asArray(field(rs, "scopeSpans", "scope_spans"), "scopeSpans");
      for (let j = 0; j < scopeSpans.length; j++) {
        where = `resourceSpans[${i}].scopeSpans[${j}]`;
        const ss = asObj(scopeSpans[j], "ScopeSpans") ?? {};
        const scope = scopeOf(field(ss, "scope"));
        const spans = asArray(field(ss, "spans"), "spans");
        for (let k = 0; k < spans.length; k++) {
          where = `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
          const span = spanOf(asObj(spans[k], "Span") ?? {}, resource, scope);
          if (typeof span === "string") reject(out, `span ${k} of scope '${scope.name}': ${span}`);
          else out.spans.push(span);
        }
      }
    }
  } catch (e) {
    throw at(where, e);
  }
  return out;
}

/**
 * A Span, or why its ids make it unacceptable. The whole span is decoded first (and may throw)
 * even when its ids will reject it, as in protobuf.
 */
function spanOf(o: Obj, resource: Resource, scope: Scope): Span | string {
  const trace = idOf(field(o, "traceId", "trace_id"), 16);
  const span = idOf(field(o, "spanId", "span_id"), 8);
  const parent = idOf(field(o, "parentSpanId", "parent_span_id"), 8);
  const name = asString(field(o, "name"), "name");
  const kind = asEnum(field(o, "kind"), SPAN_KINDS, "kind");
  const startNs = asUint64(field(o, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano");
  const endNs = asUint64(field(o, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano");
  const st = asObj(field(o, "status"), "status") ?? {};
  const status = {
    code: asEnum(field(st, "code"), STATUS_CODES, "status.code"),
    message: asString(field(st, "message"), "status.message"),
  };
  const attributes = keyValues(field(o, "attributes"), 1);
  const events = asArray(field(o, "events"), "events").map(eventOf);
  const links = linksOf(field(o, "links"));
  const problem = jsonIdProblem(o, trace, span, parent);
  if (problem !== null) return problem;
  return {
    traceId: hexOf(trace as Uint8Array, 0, 16),
    spanId: hexOf(span as Uint8Array, 0, 8),
    // absent, empty or all-zero parent = root span
    parentSpanId: parent && parent.length === 8 && !isAllZero(parent, 0, 8) ? hexOf(parent, 0, 8) : null,
    name,
    kind,
    startNs,
    endNs: endNs === 0n ? null : endNs,
    status,
    attributes,
    events,
    links,
    resource,
    scope,
  };
}

/** Span.Event{timeUnixNano, name, attributes}. */
function eventOf(v: unknown, i: number): SpanEvent {
  const o = asObj(v, `events[${i}]`) ?? {};
  return {
    name: asString(field(o, "name"), `events[${i}].name`),
    timeNs: asUint64(field(o, "timeUnixNano", "time_unix_nano"), `events[${i}].timeUnixNano`),
    attributes: keyValues(field(o, "attributes"), 1, `events[${i}].attributes`),
  };
}

/** Span.Link{traceId, spanId, attributes}; links with invalid ids are dropped (as in protobuf). */
function linksOf(v: unknown): SpanLink[] {
  const links: SpanLink[] = [];
  const list = asArray(v, "links");
  for (let i = 0; i < list.length; i++) {
    const o = asObj(list[i], `links[${i}]`) ?? {};
    const attributes = keyValues(field(o, "attributes"), 1, `links[${i}].attributes`);
    const trace = idOf(field(o, "traceId", "trace_id"), 16);
    const span = idOf(field(o, "spanId", "span_id"), 8);
    if (!trace || trace.length !== 16 || isAllZero(trace, 0, 16)) continue;
    if (!span || span.length !== 8 || isAllZero(span, 0, 8)) continue;
    links.push({ traceId: hexOf(trace, 0, 16), spanId: hexOf(span, 0, 8), attributes });
  }
  return links;
}

export function decodeLogsJson(text: string): DecodedLogs {
  const root = parseRoot(text);
  const out: DecodedLogs = { records: [], rejected: 0, rejectReasons: [] };
  let where = "resourceLogs";
  try {
    const resourceLogs = asArray(field(root, "resourceLogs", "resource_logs"), where);
    for (let i = 0; i < resourceLogs.length; i++) {
      where = `resourceLogs[${i}]`;
      const rl = asObj(resourceLogs[i], "ResourceLogs") ?? {};
      const resource = resourceOf(field(rl, "resource"));
      const scopeLogs = asArray(field(rl, "scopeLogs", "scope_logs"), "scopeLogs");
      for (let j = 0; j < scopeLogs.length; j++) {
        where = `resourceLogs[${i}].scopeLogs[${j}]`;
        const sl = asObj(scopeLogs[j], "ScopeLogs") ?? {};
        const scope = scopeOf(field(sl, "scope"));
        const records = asArray(field(sl, "logRecords", "log_records"), "logRecords");
        for (let k = 0; k < records.length; k++) {
          where = `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}]`;
          out.records.push(logRecordOf(asObj(records[k], "LogRecord") ?? {}, resource, scope));
        }
      }
    }
  } catch (e) {
    throw at(where, e);
  }
  return out;
}

/** LogRecord; ids are optional (null when absent or invalid), time falls back to the observed time. */
function logRecordOf(o: Obj, resource: Resource, scope: Scope): LogRecord {
  const trace = idOf(field(o, "traceId", "trace_id"), 16);
  const span = idOf(field(o, "spanId", "span_id"), 8);
  const timeNs = asUint64(field(o, "timeUnixNano", "time_unix_nano"), "timeUnixNano");
  const observedNs = asUint64(field(o, "observedTimeUnixNano", "observed_time_unix_nano"), "observedTimeUnixNano");
  return {
    traceId: trace && trace.length === 16 && !isAllZero(trace, 0, 16) ? hexOf(trace, 0, 16) : null,
    spanId: span && span.length === 8 && !isAllZero(span, 0, 8) ? hexOf(span, 0, 8) : null,
    timeNs: timeNs === 0n ? observedNs : timeNs,
    severityText: asString(field(o, "severityText", "severity_text"), "severityText"),
    body: anyValue(field(o, "body"), 1),
    attributes: keyValues(field(o, "attributes"), 1),
    eventName: asString(field(o, "eventName", "event_name"), "eventName"),
    resource,
    scope,
  };
}
