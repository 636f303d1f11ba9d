/**
 * Fuzzing with fast-check: mutated valid protobuf bodies, random bytes, random JSON values,
 * OTLP-shaped JSON with random leaves and mutated JSON text. Every case must either decode to
 * a well-formed result or throw DecodeError: never another error, never a hang.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { DecodedLogs, DecodedTraces } from "@/lib/otlp/types";
import { decodeLogsProtobuf, decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { decodeLogsJson, decodeTracesJson } from "@/collector/decode/json";
import { DecodeError } from "@/collector/decode/errors";
import { concat, hexBytes, kv, pb, unknownFields } from "@/collector/decode/pb-builder";

const SEED = 20240611; // fixed: failures reproduce; change it to explore further

function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer("fuzz", "1");
  const root = tracer.startSpan("root", {
    kind: SpanKind.SERVER,
    attributes: { s: "x", i: -3, d: 1.5, b: true, a: ["p", "q"], n: [1, 2] },
  });
  root.addEvent("ev", { k: 1 });
  const child = tracer.startSpan("child", { links: [{ context: root.spanContext(), attributes: { l: "x" } }] });
  child.setStatus({ code: SpanStatusCode.ERROR, message: "bad" });
  child.end();
  root.end();
  return exporter.getFinishedSpans();
}

const spans = sdkSpans();
const handBuilt = concat(
  unknownFields(),
  pb.message(
    1,
    pb.message(1, kv.string(1, "service.name", "svc"), unknownFields()),
    pb.message(
      2,
      pb.message(1, pb.string(1, "scope")),
      pb.message(
        2,
        pb.bytes(1, hexBytes("0102030405060708090a0b0c0d0e0f10")),
        pb.bytes(2, hexBytes("a1a2a3a4a5a6a7a8")),
        pb.string(5, "n"),
        pb.message(
          9,
          pb.string(1, "deep"),
          pb.message(
            2,
            pb.message(5, pb.message(1, pb.message(6, pb.message(1, pb.string(1, "k"), pb.message(2, pb.varint(3, -5)))))),
          ),
        ),
        kv.double(9, "d", 2.5),
        pb.message(9, pb.string(1, "b"), pb.message(2, pb.bytes(7, Uint8Array.from([1, 2, 3])))),
        unknownFields(),
      ),
    ),
  ),
);
const logsBody = pb.message(
  1,
  pb.message(
    2,
    pb.message(
      2,
      pb.fixed64(1, 5n),
      pb.bytes(9, new Uint8Array(16).fill(1)),
      pb.message(5, pb.string(1, "hi")),
      kv.int(6, "a", 1),
    ),
  ),
);
const protoSeeds = [ProtobufTraceSerializer.serializeRequest(spans)!, handBuilt, logsBody];
const jsonSeeds = [new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)];

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

function checkTraces(d: DecodedTraces): void {
  assert.ok(d.rejected >= d.rejectReasons.length && d.rejectReasons.length <= 5);
  for (const s of d.spans) {
    assert.match(s.traceId, HEX32);
    assert.match(s.spanId, HEX16);
    assert.ok(s.parentSpanId === null || HEX16.test(s.parentSpanId));
    assert.ok(s.kind >= 0 && s.kind <= 5 && s.status.code >= 0 && s.status.code <= 2);
    assert.equal(typeof s.startNs, "bigint");
    assert.ok(s.endNs === null || (typeof s.endNs === "bigint" && s.endNs > 0n));
    assert.equal(typeof s.name, "string");
    for (const l of s.links) assert.ok(HEX32.test(l.traceId) && HEX16.test(l.spanId));
  }
}

function checkLogs(d: DecodedLogs): void {
  for (const r of d.records) {
    assert.ok(r.traceId === null || HEX32.test(r.traceId));
    assert.ok(r.spanId === null || HEX16.test(r.spanId));
    assert.equal(typeof r.timeNs, "bigint");
  }
}

/** Runs a decoder: a well-formed result or a DecodeError; anything else fails the property. */
function decodes<T>(decode: () => T, check: (d: T) => void): void {
  let result: T;
  try {
    result = decode();
  } catch (e) {
    if (e instanceof DecodeError) return;
    throw e;
  }
  check(result);
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    op: fc.constant("set" as const),
    at: fc.nat(),
    byte: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x0b, 0x0c, 0x0f),
  }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 12 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(seed: Uint8Array, muts: Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(seed);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.op === "flip" && at < b.length) b[at]! ^= m.xor;
    else if (m.op === "set" && at < b.length) b[at] = m.byte;
    else if (m.op === "truncate") b = b.slice(0, at);
    else if (m.op === "insert") b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
    else if (m.op === "delete") b = concat(b.subarray(0, at), b.subarray(at + m.n));
  }
  return b;
}

test("protobuf: mutated valid bodies decode or throw DecodeError", { timeout: 60_000 }, () => {
  const check = (seed: Uint8Array, muts: Mutation[]) => {
    const body = mutate(seed, muts);
    decodes(() => decodeTracesProtobuf(body), checkTraces);
    decodes(() => decodeLogsProtobuf(body), checkLogs);
  };
  // Byte changes that keep the length: outer framing mostly survives, so inner messages get hit.
  const inPlace = fc.oneof(mutation.filter((m) => m.op === "flip" || m.op === "set"));
  fc.assert(fc.property(fc.constantFrom(...protoSeeds), fc.array(inPlace, { minLength: 1, maxLength: 3 }), check), {
    numRuns: 3000,
    seed: SEED,
  });
  fc.assert(fc.property(fc.constantFrom(...protoSeeds), fc.array(mutation, { minLength: 1, maxLength: 6 }), check), {
    numRuns: 2000,
    seed: SEED,
  });
});

test("protobuf: random bytes decode or throw DecodeError", { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (body) => {
      decodes(() => decodeTracesProtobuf(body), checkTraces);
      decodes(() => decodeLogsProtobuf(body), checkLogs);
    }),
    { numRuns: 2000, seed: SEED },
  );
});

test("JSON: random JSON values decode or throw DecodeError", { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
      const text = JSON.stringify(value);
      decodes(() => decodeTracesJson(text), checkTraces);
      decodes(() => decodeLogsJson(text), checkLogs);
    }),
    { numRuns: 1000, seed: SEED },
  );
});

/** OTLP-shaped JSON with random values where the decoder looks, so deep paths get exercised. */
const anything = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    "0102030405060708090a0b0c0d0e0f10",
    "a1a2a3a4a5a6a7a8",
    "AQIDBAUGBwgJCgsMDQ4PEA==",
    "SPAN_KIND_CLIENT",
    "-1",
    "18446744073709551615",
    "9223372036854775808",
    "1e400",
    "NaN",
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Mostly the expected shape, sometimes anything at all. */
const mostly = <T>(shape: fc.Arbitrary<T>) => fc.oneof({ arbitrary: shape, weight: 5 }, { arbitrary: anything, weight: 1 });
const { anyValue } = fc.letrec((tie) => ({
  anyValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ stringValue: anything }, { requiredKeys: [] }),
    fc.record({ intValue: anything }, { requiredKeys: [] }),
    fc.record({ doubleValue: anything, boolValue: anything }, { requiredKeys: [] }),
    fc.record({ bytesValue: anything }, { requiredKeys: [] }),
    fc.record({
      arrayValue: fc.oneof(anything, fc.record({ values: fc.oneof(anything, fc.array(tie("anyValue"), { maxLength: 3 })) })),
    }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: fc.oneof(fc.string(), anything), value: tie("anyValue") }, { requiredKeys: [] }), {
          maxLength: 3,
        }),
      }),
    }),
    anything,
  ),
}));
const attributes = mostly(
  fc.array(mostly(fc.record({ key: mostly(fc.string({ maxLength: 8 })), value: anyValue }, { requiredKeys: [] })), {
    maxLength: 4,
  }),
);
const idLike = fc.oneof(
  { arbitrary: fc.uint8Array({ minLength: 8, maxLength: 16 }).map((b) => Buffer.from(b).toString("hex")), weight: 4 },
  anything,
  fc.string({ maxLength: 34, unit: fc.constantFrom(..."0123456789abcdefABCDEF") }),
  fc.base64String({ maxLength: 26 }),
);
const span = fc.record(
  {
    traceId: idLike,
    spanId: idLike,
    parentSpanId: idLike,
    name: anything,
    kind: anything,
    startTimeUnixNano: anything,
    endTimeUnixNano: anything,
    attributes,
    events: fc.oneof(
      anything,
      fc.array(fc.record({ timeUnixNano: anything, name: anything, attributes }, { requiredKeys: [] }), { maxLength: 2 }),
    ),
    links: fc.oneof(
      anything,
      fc.array(fc.record({ traceId: idLike, spanId: idLike, attributes }, { requiredKeys: [] }), { maxLength: 2 }),
    ),
    status: fc.oneof(anything, fc.record({ code: anything, message: anything }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  resourceSpans: mostly(
    fc.array(
      fc.record(
        {
          resource: mostly(fc.record({ attributes }, { requiredKeys: [] })),
          scopeSpans: mostly(
            fc.array(
              fc.record(
                {
                  scope: mostly(fc.record({ name: anything, version: anything, attributes }, { requiredKeys: [] })),
                  spans: mostly(fc.array(span, { minLength: 1, maxLength: 3 })),
                },
                { requiredKeys: [] },
              ),
              { minLength: 1, maxLength: 2 },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 2 },
    ),
  ),
});

test("JSON: OTLP-shaped requests with random values decode or throw DecodeError", { timeout: 60_000 }, () => {
  fc.assert(
    fc.property(request, (value) => {
      const text = JSON.stringify(value);
      decodes(() => decodeTracesJson(text), checkTraces);
      const logsText = text
        .replaceAll('"resourceSpans"', '"resourceLogs"')
        .replaceAll('"scopeSpans"', '"scopeLogs"')
        .replaceAll('"spans"', '"logRecords"')
        .replaceAll('"name"', '"body"');
      decodes(() => decodeLogsJson(logsText), checkLogs);
    }),
    { numRuns: 2000, seed: SEED },
  );
});

test("JSON: mutated valid request text decodes or throws DecodeError", { timeout: 60_000 }, () => {
  const text = jsonSeeds[0]!;
  const edit = fc.record({
    at: fc.nat(),
    cut: fc.integer({ min: 0, max: 6 }),
    insert: fc.string({ maxLength: 6, unit: fc.constantFrom(...'{}[]",:0123456789-eE.tfnul\\ xAZ') }),
  });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
      let t = text;
      for (const e of edits) {
        const at = e.at % (t.length + 1);
        t = t.slice(0, at) + e.insert + t.slice(at + e.cut);
      }
      decodes(() => decodeTracesJson(t), checkTraces);
    }),
    { numRuns: 1500, seed: SEED },
  );
});
