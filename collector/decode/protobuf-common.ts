/**
 * Messages shared by traces and logs: common/v1 (AnyValue, KeyValue, InstrumentationScope)
 * and resource/v1 (Resource).
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/common/v1/common.proto
 *
 * Switch cases are tags, `field_number * 8 + wire_type` (LEN = 2, VARINT = 0, I64 = 1).
 */
import type { AttrValue, Attributes, Resource, Scope } from "@/lib/otlp/types";
import { MAX_DEPTH, type Reader } from "@/collector/decode/protobuf-reader";
import { setAttr } from "@/collector/decode/reject";

/**
 * AnyValue (a oneof; the last value on the wire wins, none set = null):
 * 1 string_value, 2 bool_value, 3 int_value (int64), 4 double_value, 5 array_value,
 * 6 kvlist_value, 7 bytes_value. `depth` is 1 for an attribute's own value.
 */
export function readAnyValue(r: Reader, end: number, depth: number): AttrValue {
  if (depth > MAX_DEPTH) r.fail(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag("AnyValue");
    switch (tag) {
      case 10: // 1 string_value
        value = r.string(tag, "AnyValue", end);
        break;
      case 16: {
        // 2 bool_value: any non-zero varint is true
        const v = r.int64(tag, "AnyValue");
        value = v !== 0 && v !== 0n;
        break;
      }
      case 24: // 3 int_value
        value = r.int64(tag, "AnyValue");
        break;
      case 33: // 4 double_value (I64)
        value = r.double(tag, "AnyValue", end);
        break;
      case 42: // 5 array_value: ArrayValue{1: repeated AnyValue values}
        value = readArrayValue(r, r.len(tag, "AnyValue", end), depth);
        break;
      case 50: {
        // 6 kvlist_value: KeyValueList{1: repeated KeyValue values}
        const stop = r.len(tag, "AnyValue", end);
        const obj: { [key: string]: AttrValue } = {};
        while (r.pos < stop) {
          const t = r.tag("KeyValueList");
          if (t === 10) readKeyValue(r, r.len(t, "KeyValueList", stop), obj, depth + 1);
          else r.skip(t, "KeyValueList", stop);
        }
        r.done("KeyValueList", stop);
        value = obj;
        break;
      }
      case 58: // 7 bytes_value
        value = r.bytes(tag, "AnyValue", end);
        break;
      default:
        r.skip(tag, "AnyValue", end);
    }
  }
  r.done("AnyValue", end);
  return value;
}

function readArrayValue(r: Reader, end: number, depth: number): AttrValue[] {
  const values: AttrValue[] = [];
  while (r.pos < end) {
    const tag = r.tag("ArrayValue");
    if (tag === 10) values.push(readAnyValue(r, r.len(tag, "ArrayValue", end), depth + 1));
    else r.skip(tag, "ArrayValue", end);
  }
  r.done("ArrayValue", end);
  return values;
}

/**
 * KeyValue{1: key, 2: AnyValue value}, stored into `into` (a duplicate key: the last wins).
 * `depth` is the nesting depth its value will have.
 */
export function readKeyValue(r: Reader, end: number, into: Attributes, depth: number): void {
  let key = "";
  let value: AttrValue = null;
  while (r.pos < end) {
    const tag = r.tag("KeyValue");
    if (tag === 10) key = r.cachedString(tag, "KeyValue", end);
    else if (tag === 18) value = readAnyValue(r, r.len(tag, "KeyValue", end), depth);
    else r.skip(tag, "KeyValue", end);
  }
  r.done("KeyValue", end);
  setAttr(into, key, value);
}

/** Resource{1: repeated KeyValue attributes, 2: dropped_attributes_count}, merged into `into`. */
export function readResource(r: Reader, end: number, into: Resource): void {
  while (r.pos < end) {
    const tag = r.tag("Resource");
    if (tag === 10) readKeyValue(r, r.len(tag, "Resource", end), into.attributes, 1);
    else r.skip(tag, "Resource", end);
  }
  r.done("Resource", end);
}

/** InstrumentationScope{1: name, 2: version, 3: repeated KeyValue attributes, 4: dropped}, merged into `into`. */
export function readScope(r: Reader, end: number, into: Scope): void {
  while (r.pos < end) {
    const tag = r.tag("InstrumentationScope");
    if (tag === 10) into.name = r.string(tag, "InstrumentationScope", end);
    else if (tag === 18) into.version = r.string(tag, "InstrumentationScope", end);
    else if (tag === 26) readKeyValue(r, r.len(tag, "InstrumentationScope", end), into.attributes, 1);
    else r.skip(tag, "InstrumentationScope", end);
  }
  r.done("InstrumentationScope", end);
}
