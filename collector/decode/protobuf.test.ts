/** Protobuf decoding from hand-built bytes: forward compatibility, rejection, framing errors, edge values. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeLogsProtobuf, decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { DecodeError } from "@/collector/decode/errors";
import { concat, hexBytes, kv, pb, tag, unknownFields, varintBytes } from "@/collector/decode/pb-builder";

const TRACE = "0102030405060708090a0b0c0d0e0f10";
const SPAN = "a1a2a3a4a5a6a7a8";
const PARENT = "b1b2b3b4b5b6b7b8";
const T0 = 1_750_000_000_000_000_000n;

/** A Span message (field 2 of ScopeSpans) with the given fields; `extra` is spliced in at `at`. */
function spanFields(opts: { trace?: Uint8Array; span?: Uint8Array; parent?: Uint8Array; name?: string; u?: Uint8Array } = {}) {
  const u = opts.u ?? new Uint8Array(0);
  return concat(
    u,
    pb.bytes(1, opts.trace ?? hexBytes(TRACE)),
    pb.bytes(2, opts.span ?? hexBytes(SPAN)),
    pb.string(3, "vendor=x"),
    ...(opts.parent ? [pb.bytes(4, opts.parent)] : []),
    pb.string(5, opts.name ?? "chat gpt-4o"),
    pb.varint(6, 3),
    pb.fixed64(7, T0),
    pb.fixed64(8, T0 + 1_500n),
    kv.string(9, "gen_ai.system", "openai"),
    kv.int(9, "tokens", 1234),
    pb.message(
      9,
      pb.string(1, "list"),
      u,
      pb.message(2, u, pb.message(5, u, pb.message(1, pb.string(1, "a"), u), pb.message(1, pb.varint(3, -1)))),
    ),
    pb.message(
      9,
      pb.string(1, "map"),
      pb.message(2, pb.message(6, u, pb.message(1, pb.string(1, "k"), u, pb.message(2, pb.double(4, 0.5))))),
    ),
    pb.varint(10, 2),
    pb.message(11, u, pb.fixed64(1, T0 + 10n), pb.string(2, "ev"), kv.bool(3, "ok", true), pb.varint(4, 0)),
    pb.varint(12, 0),
    pb.message(
      13,
      u,
      pb.bytes(1, hexBytes(TRACE)),
      pb.bytes(2, hexBytes(PARENT)),
      pb.string(3, "ts"),
      kv.string(4, "why", "retry"),
      pb.varint(5, 0),
      pb.fixed32(6, 0x100),
    ),
    pb.varint(14, 0),
    pb.message(15, u, pb.varint(1, 9) /* deprecated_code: ignored */, pb.string(2, "bad"), pb.varint(3, 2)),
    pb.fixed32(16, 0x301),
    u,
  );
}

function request(spans: Uint8Array[], opts: { scope?: string; u?: Uint8Array } = {}) {
  const u = opts.u ?? new Uint8Array(0);
  const resource = pb.message(1, u, kv.string(1, "service.name", "svc"), u, pb.varint(2, 0));
  const scope = pb.message(
    1,
    u,
    pb.string(1, opts.scope ?? "my.scope"),
    pb.string(2, "1.0"),
    kv.string(3, "sa", "x"),
    pb.varint(4, 0),
  );
  return concat(
    u,
    pb.message(
      1,
      u,
      resource,
      pb.message(2, u, scope, ...spans.map((s) => pb.bytes(2, s)), pb.string(3, "https://schema")),
      pb.string(3, "https://schema"),
    ),
    u,
  );
}

function throwsDecode(body: Uint8Array, message: RegExp) {
  assert.throws(
    () => decodeTracesProtobuf(body),
    (e: unknown) => {
      assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
      assert.match(e.message, message);
      return true;
    },
  );
}

test("decodes every span field", () => {
  const d = decodeTracesProtobuf(request([spanFields({ parent: hexBytes(PARENT) })]));
  assert.equal(d.rejected, 0);
  assert.deepStrictEqual(d.spans[0], {
    traceId: TRACE,
    spanId: SPAN,
    parentSpanId: PARENT,
    name: "chat gpt-4o",
    kind: 3,
    startNs: T0,
    endNs: T0 + 1_500n,
    status: { code: 2, message: "bad" },
    attributes: { "gen_ai.system": "openai", tokens: 1234, list: ["a", -1], map: { k: 0.5 } },
    events: [{ name: "ev", timeNs: T0 + 10n, attributes: { ok: true } }],
    links: [{ traceId: TRACE, spanId: PARENT, attributes: { why: "retry" } }],
    resource: { attributes: { "service.name": "svc" } },
    scope: { name: "my.scope", version: "1.0", attributes: { sa: "x" } },
  });
});

test("unknown fields of every wire type are skipped at every message level", () => {
  const plain = decodeTracesProtobuf(request([spanFields(), spanFields({ parent: hexBytes(PARENT) })]));
  const u = unknownFields();
  const withUnknown = decodeTracesProtobuf(request([spanFields({ u }), spanFields({ u, parent: hexBytes(PARENT) })], { u }));
  assert.equal(plain.spans.length, 2);
  assert.deepStrictEqual(withUnknown, plain);
});

test("a known field with an unexpected wire type is skipped like an unknown one", () => {
  const odd = concat(spanFields(), pb.fixed32(5, 7) /* name as I32 */, pb.string(6, "x") /* kind as LEN */);
  const d = decodeTracesProtobuf(request([odd]));
  assert.equal(d.spans[0]!.name, "chat gpt-4o");
  assert.equal(d.spans[0]!.kind, 3);
});

test("fields may come in any order: resource and scope after the spans", () => {
  const spans = pb.message(
    2,
    pb.bytes(2, spanFields({ trace: new Uint8Array(3) })),
    pb.bytes(2, spanFields()),
    pb.message(1, pb.string(1, "late.scope")),
  );
  const body = pb.message(1, spans, pb.message(1, kv.string(1, "service.name", "late")));
  const d = decodeTracesProtobuf(body);
  assert.equal(d.spans.length, 1);
  assert.deepStrictEqual(d.spans[0]!.resource, { attributes: { "service.name": "late" } });
  assert.equal(d.spans[0]!.scope.name, "late.scope");
  assert.deepStrictEqual(d.rejectReasons, ["span 0 of scope 'late.scope': trace_id must be 16 bytes, got 3"]);
});

test("spans with invalid ids are rejected with reasons, the others kept; all-zero parent is a root", () => {
  const spans = [
    spanFields({ name: "ok-zero-parent", parent: new Uint8Array(8) }),
    spanFields({ name: "no-trace", trace: new Uint8Array(0) }),
    spanFields({ name: "short-trace", trace: new Uint8Array(15).fill(1) }),
    spanFields({ name: "zero-trace", trace: new Uint8Array(16) }),
    spanFields({ name: "ok-empty-parent", parent: new Uint8Array(0) }),
    spanFields({ name: "long-span", span: new Uint8Array(9).fill(1) }),
    spanFields({ name: "zero-span", span: new Uint8Array(8) }),
    spanFields({ name: "bad-parent", parent: new Uint8Array(3).fill(1) }),
    spanFields({ name: "ok-parent", parent: hexBytes(PARENT) }),
  ];
  const d = decodeTracesProtobuf(request(spans, { scope: "x" }));
  assert.deepStrictEqual(
    d.spans.map((s) => [s.name, s.parentSpanId]),
    [
      ["ok-zero-parent", null],
      ["ok-empty-parent", null],
      ["ok-parent", PARENT],
    ],
  );
  assert.equal(d.rejected, 6);
  assert.deepStrictEqual(d.rejectReasons, [
    "span 1 of scope 'x': trace_id must be 16 bytes, got 0",
    "span 2 of scope 'x': trace_id must be 16 bytes, got 15",
    "span 3 of scope 'x': trace_id must not be all zero",
    "span 5 of scope 'x': span_id must be 8 bytes, got 9",
    "span 6 of scope 'x': span_id must not be all zero",
  ]);
});

test("a span without any ids is rejected, not an error", () => {
  const d = decodeTracesProtobuf(pb.message(1, pb.message(2, pb.message(2, pb.string(5, "bare")))));
  assert.deepStrictEqual(d, { spans: [], rejected: 1, rejectReasons: ["span 0 of scope '': trace_id must be 16 bytes, got 0"] });
});

test("links with invalid ids are dropped, the span kept", () => {
  const span = concat(
    spanFields(),
    pb.message(13, pb.bytes(1, new Uint8Array(16)), pb.bytes(2, hexBytes(SPAN))),
    pb.message(13, pb.bytes(1, hexBytes(TRACE))),
  );
  const d = decodeTracesProtobuf(request([span]));
  assert.equal(d.spans[0]!.links.length, 1);
});

test("edge values: int64 range, end 0, unknown enums, bool, double, bytes, empty value, invalid UTF-8", () => {
  const value = (v: Uint8Array) => pb.message(2, v);
  const attrs = [
    ["max-safe", pb.varint(3, 2 ** 53 - 1)],
    ["min-safe", pb.varint(3, -(2 ** 53 - 1))],
    ["2^53", pb.varint(3, 2n ** 53n)],
    ["-2^53", pb.varint(3, -(2n ** 53n))],
    ["int64-max", pb.varint(3, 2n ** 63n - 1n)],
    ["int64-min", pb.varint(3, -(2n ** 63n))],
    ["minus-one", pb.varint(3, -1)],
    ["2^32", pb.varint(3, 2 ** 32)],
    ["bool-2", pb.varint(2, 2)],
    ["bool-2^32", pb.varint(2, 2 ** 32)],
    ["nan", pb.double(4, NaN)],
    ["bytes", pb.bytes(7, Uint8Array.from([0, 255]))],
    ["empty", new Uint8Array(0)],
    ["utf8", pb.bytes(1, Uint8Array.from([0x61, 0xff, 0xc3, 0x62]))],
    ["last-wins", concat(pb.string(1, "first"), pb.varint(3, 5))],
  ] as const;
  const span = concat(
    spanFields(),
    pb.fixed64(8, 0n),
    pb.varint(6, 17),
    pb.message(15, pb.varint(3, 7)),
    ...attrs.map(([k, v]) => pb.message(9, pb.string(1, k), value(v))),
  );
  const s = decodeTracesProtobuf(request([span])).spans[0]!;
  assert.equal(s.endNs, null);
  assert.equal(s.kind, 0);
  // A repeated message field is merged: the second Status keeps the first one's message.
  assert.deepStrictEqual(s.status, { code: 0, message: "bad" });
  const a = s.attributes;
  assert.equal(a["max-safe"], 2 ** 53 - 1);
  assert.equal(a["min-safe"], -(2 ** 53 - 1));
  assert.equal(a["2^53"], 2n ** 53n);
  assert.equal(a["-2^53"], -(2n ** 53n));
  assert.equal(a["int64-max"], 2n ** 63n - 1n);
  assert.equal(a["int64-min"], -(2n ** 63n));
  assert.equal(a["minus-one"], -1);
  assert.equal(a["2^32"], 2 ** 32);
  assert.equal(a["bool-2"], true);
  assert.equal(a["bool-2^32"], true);
  assert.ok(Number.isNaN(a.nan));
  assert.deepStrictEqual(a.bytes, Uint8Array.from([0, 255]));
  assert.equal(Object.getPrototypeOf(a.bytes), Uint8Array.prototype, "a plain Uint8Array, not a Buffer view");
  assert.equal(a.empty, null);
  assert.equal(a.utf8, "a\uFFFD\uFFFDb");
  assert.equal(a["last-wins"], 5);
});

test("a __proto__ attribute key is an own property, not a prototype change", () => {
  const d = decodeTracesProtobuf(request([concat(spanFields(), kv.string(9, "__proto__", "x"))]));
  const a = d.spans[0]!.attributes;
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(a, "__proto__")?.value, "x");
});

test("many distinct and colliding attribute keys decode exactly (string cache)", () => {
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}.${"é".repeat(i % 7)}`);
  const span = concat(spanFields(), ...keys.map((k, i) => kv.int(9, k, i)));
  for (let round = 0; round < 2; round++) {
    const a = decodeTracesProtobuf(request([span])).spans[0]!.attributes;
    for (let i = 0; i < keys.length; i++) assert.equal(a[keys[i]!], i);
  }
});

test("AnyValue nesting: 64 levels decode, 65 and far deeper throw DecodeError", () => {
  const nested = (levels: number) => {
    let v = pb.string(1, "leaf");
    for (let i = 1; i < levels; i++) v = pb.message(5, pb.message(1, v)); // AnyValue{array_value{values: [v]}}
    return concat(spanFields(), pb.message(9, pb.string(1, "deep"), pb.message(2, v)));
  };
  let depth = 0;
  let v: unknown = decodeTracesProtobuf(request([nested(64)])).spans[0]!.attributes.deep;
  while (Array.isArray(v)) {
    v = v[0];
    depth++;
  }
  assert.equal(depth, 63);
  assert.equal(v, "leaf");
  throwsDecode(request([nested(65)]), /AnyValue nested deeper than 64 levels/);
  throwsDecode(request([nested(5000)]), /AnyValue nested deeper than 64 levels/);
});

test("malformed framing throws DecodeError saying what and where", () => {
  const good = request([spanFields()]);
  throwsDecode(Uint8Array.from([0x0a]), /truncated varint field 1 in ExportTraceServiceRequest at byte 1/);
  throwsDecode(
    Uint8Array.from([0x0a, 0x05, 0x01]),
    /truncated length-delimited field 1 in ExportTraceServiceRequest \(length 5\) at byte 1/,
  );
  throwsDecode(good.subarray(0, good.length - 3), /truncated length-delimited field 1 in ExportTraceServiceRequest/);
  throwsDecode(Uint8Array.from([0x80]), /truncated varint tag in ExportTraceServiceRequest/);
  throwsDecode(Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /over-long/);
  throwsDecode(concat(tag(7, 3)), /unsupported wire type 3 for field 7 in ExportTraceServiceRequest at byte 0/);
  throwsDecode(concat(tag(7, 4)), /unsupported wire type 4/);
  throwsDecode(concat(tag(7, 6)), /unsupported wire type 6/);
  throwsDecode(concat(tag(7, 7)), /unsupported wire type 7/);
  // A length of 2^32 + 1 would read as 1 if only its low 32 bits counted.
  throwsDecode(
    Uint8Array.from([0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x00]),
    /length of field 1 in ExportTraceServiceRequest out of range at byte 1/,
  );
  throwsDecode(Uint8Array.from([0x02, 0x00]), /invalid field number 0 in ExportTraceServiceRequest at byte 0/);
  throwsDecode(concat(tag(9, 1), Uint8Array.from([1, 2, 3])), /truncated fixed64 field 9 in ExportTraceServiceRequest/);
  throwsDecode(concat(tag(9, 5), Uint8Array.from([1, 2, 3])), /truncated fixed32 field 9/);

  // A span whose attributes field claims more bytes than the span holds: the error names the Span.
  const attr = kv.string(9, "k", "v");
  const broken = concat(pb.bytes(1, hexBytes(TRACE)), tag(9, 2), varintBytes(attr.length + 10), attr.subarray(2));
  const body = request([broken]);
  assert.throws(
    () => decodeTracesProtobuf(body),
    (e: unknown) => {
      assert.ok(e instanceof DecodeError);
      assert.match(e.message, /^truncated length-delimited field 9 in Span \(length \d+\) at byte \d+$/);
      assert.equal(typeof e.offset, "number");
      return true;
    },
  );
  // A varint that runs past its message's end (but not the body's).
  const overrun = pb.message(1, pb.message(2, pb.bytes(2, Uint8Array.from([0x30, 0x80]))), pb.varint(2, 1));
  throwsDecode(overrun, /field overruns the end of Span/);
  // A fixed64 that runs past its message's end.
  throwsDecode(pb.message(1, pb.message(2, pb.bytes(2, Uint8Array.from([0x39, 1, 2])))), /truncated fixed64 field 7 in Span/);
});

test("an empty body is an empty request", () => {
  assert.deepStrictEqual(decodeTracesProtobuf(new Uint8Array(0)), { spans: [], rejected: 0, rejectReasons: [] });
  assert.deepStrictEqual(decodeLogsProtobuf(new Uint8Array(0)), { records: [], rejected: 0, rejectReasons: [] });
});

test("a Buffer (or any Uint8Array view at an offset) decodes like a fresh array", () => {
  const body = request([spanFields()]);
  const padded = Buffer.concat([Buffer.from("junk"), body]).subarray(4);
  assert.deepStrictEqual(decodeTracesProtobuf(padded), decodeTracesProtobuf(body));
});

test("each ResourceSpans has its own resource, each ScopeSpans its own scope, shared by their spans", () => {
  const scopeSpans = (name: string) =>
    pb.message(2, pb.message(1, pb.string(1, name)), pb.bytes(2, spanFields()), pb.bytes(2, spanFields()));
  const body = concat(
    pb.message(1, pb.message(1, kv.string(1, "service.name", "a")), scopeSpans("s1"), scopeSpans("s2")),
    pb.message(1, scopeSpans("s3")),
  );
  const [a, b, c, d, e] = decodeTracesProtobuf(body).spans;
  assert.equal(a!.resource, b!.resource);
  assert.equal(a!.resource, c!.resource);
  assert.notEqual(a!.resource, e!.resource);
  assert.equal(a!.scope, b!.scope);
  assert.notEqual(b!.scope, c!.scope);
  assert.equal(c!.scope, d!.scope);
  assert.deepStrictEqual(e!.resource, { attributes: {} });
});

test("logs: ids optional (null when missing or invalid), time falls back to observed time, unknown fields skipped", () => {
  const u = unknownFields();
  const record = (...fields: Uint8Array[]) => pb.message(2, u, ...fields, u);
  const body = pb.message(
    1,
    u,
    pb.message(1, kv.string(1, "service.name", "svc")),
    pb.message(
      2,
      pb.message(1, pb.string(1, "logger")),
      record(
        pb.fixed64(1, T0),
        pb.fixed64(11, T0 + 5n),
        pb.varint(2, 9),
        pb.string(3, "INFO"),
        pb.message(5, pb.message(6, pb.message(1, pb.string(1, "role"), pb.message(2, pb.string(1, "user"))))),
        kv.string(6, "gen_ai.system", "openai"),
        pb.varint(7, 0),
        pb.fixed32(8, 1),
        pb.bytes(9, hexBytes(TRACE)),
        pb.bytes(10, hexBytes(SPAN)),
        pb.string(12, "gen_ai.user.message"),
      ),
      record(
        pb.fixed64(11, T0 + 7n),
        pb.bytes(9, new Uint8Array(16)),
        pb.bytes(10, new Uint8Array(3)),
        pb.message(5, pb.string(1, "text")),
      ),
    ),
  );
  const d = decodeLogsProtobuf(body);
  assert.equal(d.rejected, 0);
  assert.deepStrictEqual(d.records[0], {
    traceId: TRACE,
    spanId: SPAN,
    timeNs: T0,
    severityText: "INFO",
    body: { role: "user" },
    attributes: { "gen_ai.system": "openai" },
    eventName: "gen_ai.user.message",
    resource: { attributes: { "service.name": "svc" } },
    scope: { name: "logger", version: "", attributes: {} },
  });
  assert.equal(d.records[1]!.traceId, null);
  assert.equal(d.records[1]!.spanId, null);
  assert.equal(d.records[1]!.timeNs, T0 + 7n);
  assert.equal(d.records[1]!.body, "text");
  assert.throws(() => decodeLogsProtobuf(body.subarray(0, body.length - 1)), DecodeError);
});

test("rejections are counted across scopes; only the first 5 reasons are kept, however many spans fail", () => {
  const empties = new Uint8Array(200_000).map((_, i) => (i % 2 === 0 ? 0x12 : 0)); // 100k empty Span fields
  const body = pb.message(
    1,
    pb.message(
      2,
      pb.message(1, pb.string(1, "a")),
      pb.bytes(2, spanFields({ span: new Uint8Array(2).fill(1) })),
      pb.bytes(2, spanFields()),
    ),
    pb.message(2, pb.message(1, pb.string(1, "b")), empties),
  );
  const d = decodeTracesProtobuf(body);
  assert.equal(d.spans.length, 1);
  assert.equal(d.rejected, 100_001);
  assert.deepStrictEqual(d.rejectReasons, [
    "span 0 of scope 'a': span_id must be 8 bytes, got 2",
    "span 0 of scope 'b': trace_id must be 16 bytes, got 0",
    "span 1 of scope 'b': trace_id must be 16 bytes, got 0",
    "span 2 of scope 'b': trace_id must be 16 bytes, got 0",
    "span 3 of scope 'b': trace_id must be 16 bytes, got 0",
  ]);
});
