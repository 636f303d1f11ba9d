/**
 * Bodies the receiver sends back, in the request's format (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response).
 *
 * - 200: Export{Trace,Logs}ServiceResponse{1: partial_success{1: int64 rejected_<items>, 2: error_message}}.
 *   Full success leaves partial_success unset (an empty protobuf body, `{}` in JSON). Rejected
 *   items must not be retried by the sender.
 * - 4xx/5xx: google.rpc.Status{1: int32 code, 2: message} (https://github.com/googleapis/googleapis/blob/master/google/rpc/status.proto).
 *   `code` is a google.rpc.Code (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE…), not the HTTP status.
 *
 * JSON follows the proto3 JSON mapping used by OTLP/JSON: int64 (rejected counts) is a decimal
 * string, int32 (Status.code) a number; default values are omitted.
 */

export type ResponseFormat = "protobuf" | "json";
export type PartialSuccess = { rejected: number; message: string };

export function encodeTraceResponse(format: "protobuf", partial?: PartialSuccess): Uint8Array;
export function encodeTraceResponse(format: "json", partial?: PartialSuccess): string;
export function encodeTraceResponse(format: ResponseFormat, partial?: PartialSuccess): Uint8Array | string;
export function encodeTraceResponse(format: ResponseFormat, partial?: PartialSuccess): Uint8Array | string {
  return encodeExportResponse(format, "rejectedSpans", partial);
}

export function encodeLogsResponse(format: "protobuf", partial?: PartialSuccess): Uint8Array;
export function encodeLogsResponse(format: "json", partial?: PartialSuccess): string;
export function encodeLogsResponse(format: ResponseFormat, partial?: PartialSuccess): Uint8Array | string;
export function encodeLogsResponse(format: ResponseFormat, partial?: PartialSuccess): Uint8Array | string {
  return encodeExportResponse(format, "rejectedLogRecords", partial);
}

export function encodeStatus(format: "protobuf", code: number, message: string): Uint8Array;
export function encodeStatus(format: "json", code: number, message: string): string;
export function encodeStatus(format: ResponseFormat, code: number, message: string): Uint8Array | string;
export function encodeStatus(format: ResponseFormat, code: number, message: string): Uint8Array | string {
  if (format === "json") return JSON.stringify(message ? { code, message } : { code });
  const w: number[] = [];
  if (code !== 0) {
    w.push(0x08); // 1 code, VARINT
    varint(w, code);
  }
  if (message) lenField(w, 2, utf8(message));
  return Uint8Array.from(w);
}

/** Both Export*ServiceResponse messages share this shape; only the JSON name of field 1 differs. */
function encodeExportResponse(
  format: ResponseFormat,
  rejectedName: "rejectedSpans" | "rejectedLogRecords",
  partial?: PartialSuccess,
): Uint8Array | string {
  const rejected = Math.max(0, Math.trunc(partial?.rejected ?? 0));
  const message = partial?.message ?? "";
  if (format === "json") {
    if (!partial) return "{}";
    const ps: Record<string, string> = {};
    if (rejected) ps[rejectedName] = String(rejected);
    if (message) ps.errorMessage = message;
    return JSON.stringify({ partialSuccess: ps });
  }
  if (!partial) return new Uint8Array(0);
  const inner: number[] = [];
  if (rejected) {
    inner.push(0x08); // 1 rejected_<items>, VARINT
    varint(inner, rejected);
  }
  if (message) lenField(inner, 2, utf8(message));
  const out: number[] = [];
  lenField(out, 1, inner); // 1 partial_success, LEN
  return Uint8Array.from(out);
}

function utf8(s: string): number[] {
  return Array.from(Buffer.from(s, "utf8"));
}

function lenField(w: number[], field: number, bytes: number[]): void {
  w.push((field << 3) | 2);
  varint(w, bytes.length);
  for (const b of bytes) w.push(b);
}

/** A varint; negative (int32) values take the 10-byte two's complement form, as protobuf requires. */
function varint(w: number[], value: number): void {
  let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  while (v > 0x7fn) {
    w.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  w.push(Number(v));
}
