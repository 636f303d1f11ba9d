/**
 * Shared pieces of OTLP/JSON decoding: field access, scalar conversions, AnyValue, Resource,
 * InstrumentationScope, ids. Rules (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * - field names are lowerCamelCase; the proto snake_case names are accepted too (proto3 JSON
 *   parsers accept both, and some senders use them);
 * - trace/span ids are hex strings (case-insensitive), not the base64 of standard proto3 JSON;
 * - enums are integers (names accepted too); 64-bit integers are decimal strings or numbers;
 * - bytes values are base64; `null` means the field is absent; unknown fields are ignored.
 *
 * Helpers throw DecodeError with a short local message; the caller prefixes where it happened.
 */
import type { AttrValue, Attributes, Resource, Scope } from "@/lib/otlp/types";
import { DecodeError } from "@/collector/decode/errors";
import { idBytesFromJson, idProblem } from "@/collector/decode/ids";
import { MAX_DEPTH } from "@/collector/decode/protobuf-reader";
import { setAttr } from "@/collector/decode/reject";

export type Obj = { [key: string]: unknown };

/** A field by its lowerCamelCase name, else by its snake_case proto name; null counts as absent. */
export function field(o: Obj, camel: string, snake?: string): unknown {
  const v = o[camel];
  if (v !== undefined && v !== null) return v;
  const w = snake === undefined ? undefined : o[snake];
  return w === null ? undefined : w;
}

/** A short rendering of a bad value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === "bigint" ? `${v}` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function parseRoot(text: string): Obj {
  let root: unknown;
  try {
    // A UTF-8 byte order mark is not JSON, but some clients write one.
    root = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new DecodeError(`invalid JSON: ${(e as Error).message}`);
  }
  if (typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new DecodeError(`the request must be a JSON object, got ${Array.isArray(root) ? "an array" : show(root)}`);
  }
  return root as Obj;
}

/** A message-typed value: absent -> undefined. */
export function asObj(v: unknown, what: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw new DecodeError(`${what} must be an object, got ${show(v)}`);
  return v as Obj;
}

/** A repeated value: absent -> []. */
export function asArray(v: unknown, what: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DecodeError(`${what} must be an array, got ${show(v)}`);
  return v;
}

export function asString(v: unknown, what: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new DecodeError(`${what} must be a string, got ${show(v)}`);
  return v;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** fixed64 timestamps: decimal string (canonical) or number; absent -> 0. */
export function asUint64(v: unknown, what: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === "string" && /^[0-9]{1,20}$/.test(v)) {
    const n = BigInt(v);
    if (n <= U64_MAX) return n;
  } else if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 2 ** 64) {
    const n = BigInt(v);
    if (n <= U64_MAX) return n;
  }
  throw new DecodeError(`${what} must be an unsigned 64-bit integer (decimal string or number), got ${show(v)}`);
}

/** int64: decimal string or number; a JS number when |v| <= 2^53-1, a bigint beyond (like protobuf). */
export function asInt64(v: unknown, what: string): number | bigint {
  if (typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) {
    return Number.isSafeInteger(v) ? v + 0 /* -0 -> 0 */ : BigInt(v);
  }
  if (typeof v === "string" && /^-?[0-9]{1,20}$/.test(v)) {
    const n = BigInt(v);
    if (n >= I64_MIN && n <= I64_MAX) {
      return n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
  }
  throw new DecodeError(`${what} must be a 64-bit integer (decimal string or number), got ${show(v)}`);
}

/** A double: number, or a string (proto3 JSON allows "NaN", "Infinity", "-Infinity" and numeric strings). */
function asDouble(v: unknown, what: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (v === "NaN") return NaN;
    const n = Number(v);
    if (v.trim() !== "" && !Number.isNaN(n)) return n;
  }
  throw new DecodeError(`${what} must be a number, got ${show(v)}`);
}

/**
 * An enum: its integer (canonical in OTLP/JSON) or its name (`names[value]`), also a numeric
 * string. Values this version does not know become 0 (UNSPECIFIED/UNSET), as in protobuf decoding.
 */
export function asEnum(v: unknown, names: readonly string[], what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "string") {
    const i = names.indexOf(v);
    if (i >= 0) return i;
    if (/^[0-9]{1,10}$/.test(v)) v = Number(v);
    else return 0;
  }
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v < names.length ? v : 0;
  throw new DecodeError(`${what} must be an enum number or name, got ${show(v)}`);
}

/**
 * AnyValue: {stringValue|boolValue|intValue|doubleValue|arrayValue{values}|kvlistValue{values}|bytesValue}.
 * `{}` (no value) is null. `depth` is 1 for an attribute's own value; deeper than MAX_DEPTH is an error.
 */
export function anyValue(v: unknown, depth: number): AttrValue {
  if (depth > MAX_DEPTH) throw new DecodeError(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
  const o = asObj(v, "AnyValue");
  if (o === undefined) return null;
  let x: unknown;
  if ((x = field(o, "stringValue", "string_value")) !== undefined) return asString(x, "stringValue");
  if ((x = field(o, "boolValue", "bool_value")) !== undefined) {
    if (typeof x !== "boolean") throw new DecodeError(`boolValue must be a boolean, got ${show(x)}`);
    return x;
  }
  if ((x = field(o, "intValue", "int_value")) !== undefined) return asInt64(x, "intValue");
  if ((x = field(o, "doubleValue", "double_value")) !== undefined) return asDouble(x, "doubleValue");
  if ((x = field(o, "arrayValue", "array_value")) !== undefined) {
    const values = asArray(field(asObj(x, "arrayValue")!, "values"), "arrayValue.values");
    const out: AttrValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], depth + 1);
    return out;
  }
  if ((x = field(o, "kvlistValue", "kvlist_value")) !== undefined) {
    return keyValues(field(asObj(x, "kvlistValue")!, "values"), depth + 1, "kvlistValue.values");
  }
  if ((x = field(o, "bytesValue", "bytes_value")) !== undefined) {
    // Buffer.from is lenient (ignores stray characters, accepts URL-safe); copy to a plain Uint8Array.
    return new Uint8Array(Buffer.from(asString(x, "bytesValue"), "base64"));
  }
  return null;
}

/** repeated KeyValue{key, value} as an object; the last duplicate key wins. */
export function keyValues(v: unknown, depth: number, what = "attributes"): Attributes {
  const out: Attributes = {};
  const list = asArray(v, what);
  for (let i = 0; i < list.length; i++) {
    const kv = asObj(list[i], `${what}[${i}]`);
    if (kv === undefined) continue;
    const key = asString(kv.key, `${what}[${i}].key`);
    try {
      setAttr(out, key, anyValue(kv.value, depth));
    } catch (e) {
      // Name the top-level key only: nested levels would repeat themselves in the message.
      throw e instanceof DecodeError && depth === 1 ? new DecodeError(`${what} '${key}': ${e.message}`) : e;
    }
  }
  return out;
}

export function resourceOf(v: unknown): Resource {
  const o = asObj(v, "resource");
  return { attributes: o === undefined ? {} : keyValues(field(o, "attributes"), 1, "resource.attributes") };
}

export function scopeOf(v: unknown): Scope {
  const o = asObj(v, "scope");
  if (o === undefined) return { name: "", version: "", attributes: {} };
  return {
    name: asString(field(o, "name"), "scope.name"),
    version: asString(field(o, "version"), "scope.version"),
    attributes: keyValues(field(o, "attributes"), 1, "scope.attributes"),
  };
}

const NO_BYTES = new Uint8Array(0);

/** An id from JSON: bytes (maybe of a wrong length), null when absent or "", false when unreadable. */
export function idOf(v: unknown, want: 8 | 16): Uint8Array | null | false {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v !== "string") return false;
  return idBytesFromJson(v, want) ?? false;
}

/** Why a JSON span's ids make it unacceptable, or null. Same rules as protobuf. */
export function jsonIdProblem(
  o: Obj,
  trace: Uint8Array | null | false,
  span: Uint8Array | null | false,
  parent: Uint8Array | null | false,
): string | null {
  if (trace === false) return `trace_id ${show(field(o, "traceId", "trace_id"))} is not a hex id`;
  if (span === false) return `span_id ${show(field(o, "spanId", "span_id"))} is not a hex id`;
  if (parent === false) return `parent_span_id ${show(field(o, "parentSpanId", "parent_span_id"))} is not a hex id`;
  return idProblem(
    trace ?? NO_BYTES,
    0,
    trace ? trace.length : -1,
    span ?? NO_BYTES,
    0,
    span ? span.length : -1,
    parent ? parent.length : -1,
  );
}
