/** OTLP/JSON decoding: spec rules, liberal alternatives, errors, and agreement with protobuf. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeLogsJson, decodeTracesJson } from "@/collector/decode/json";
import { decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { DecodeError } from "@/collector/decode/errors";
import { concat, hexBytes, kv, pb } from "@/collector/decode/pb-builder";

const TRACE = "0102030405060708090a0b0c0d0e0f10";
const SPAN = "a1a2a3a4a5a6a7a8";
const PARENT = "b1b2b3b4b5b6b7b8";
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");

const body = (spans: unknown[], scope: unknown = { name: "sc" }) =>
  JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] }, scopeSpans: [{ scope, spans }] },
    ],
  });

const fullSpan = {
  traceId: TRACE,
  spanId: SPAN,
  parentSpanId: PARENT,
  traceState: "x=y",
  name: "chat",
  kind: 3,
  startTimeUnixNano: "1750000000000000000",
  endTimeUnixNano: "1750000000000001500",
  attributes: [
    { key: "s", value: { stringValue: "v" } },
    { key: "i", value: { intValue: "-42" } },
    { key: "big", value: { intValue: "9223372036854775807" } },
    { key: "d", value: { doubleValue: 0.5 } },
    { key: "b", value: { boolValue: false } },
    { key: "arr", value: { arrayValue: { values: [{ stringValue: "a" }, { intValue: 1 }, {}] } } },
    { key: "kv", value: { kvlistValue: { values: [{ key: "k", value: { doubleValue: "Infinity" } }] } } },
    { key: "bytes", value: { bytesValue: "AAH//g==" } },
    { key: "none", value: {} },
    { key: "missing" },
  ],
  droppedAttributesCount: 0,
  events: [
    { timeUnixNano: 1750000000000000010n.toString(), name: "ev", attributes: [{ key: "ok", value: { boolValue: true } }] },
  ],
  links: [{ traceId: TRACE, spanId: PARENT, attributes: [{ key: "why", value: { stringValue: "retry" } }], flags: 256 }],
  status: { code: 2, message: "bad" },
  flags: 769,
  someFutureField: { anything: [1, 2, 3] },
};

const expectedSpan = {
  traceId: TRACE,
  spanId: SPAN,
  parentSpanId: PARENT,
  name: "chat",
  kind: 3,
  startNs: 1750000000000000000n,
  endNs: 1750000000000001500n,
  status: { code: 2, message: "bad" },
  attributes: {
    s: "v",
    i: -42,
    big: 9223372036854775807n,
    d: 0.5,
    b: false,
    arr: ["a", 1, null],
    kv: { k: Infinity },
    bytes: Uint8Array.from([0, 1, 255, 254]),
    none: null,
    missing: null,
  },
  events: [{ name: "ev", timeNs: 1750000000000000010n, attributes: { ok: true } }],
  links: [{ traceId: TRACE, spanId: PARENT, attributes: { why: "retry" } }],
  resource: { attributes: { "service.name": "svc" } },
  scope: { name: "sc", version: "", attributes: {} },
};

function throwsDecode(fn: () => unknown, message: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test("decodes every span field; unknown fields are ignored", () => {
  const d = decodeTracesJson(body([fullSpan]));
  assert.deepStrictEqual(d, { spans: [expectedSpan], rejected: 0, rejectReasons: [] });
});

test("snake_case proto field names are accepted too", () => {
  const snake = JSON.stringify({
    resource_spans: [
      {
        resource: { attributes: [{ key: "service.name", value: { string_value: "svc" } }] },
        scope_spans: [
          {
            scope: { name: "sc" },
            spans: [
              {
                trace_id: TRACE,
                span_id: SPAN,
                parent_span_id: PARENT,
                name: "chat",
                kind: 3,
                start_time_unix_nano: "1750000000000000000",
                end_time_unix_nano: "1750000000000001500",
                attributes: [
                  { key: "s", value: { string_value: "v" } },
                  { key: "i", value: { int_value: "-42" } },
                  { key: "big", value: { int_value: "9223372036854775807" } },
                  { key: "d", value: { double_value: 0.5 } },
                  { key: "b", value: { bool_value: false } },
                  { key: "arr", value: { array_value: { values: [{ string_value: "a" }, { int_value: 1 }, {}] } } },
                  { key: "kv", value: { kvlist_value: { values: [{ key: "k", value: { double_value: "Infinity" } }] } } },
                  { key: "bytes", value: { bytes_value: "AAH//g==" } },
                  { key: "none", value: {} },
                  { key: "missing", value: null },
                ],
                events: [
                  { time_unix_nano: "1750000000000000010", name: "ev", attributes: [{ key: "ok", value: { bool_value: true } }] },
                ],
                links: [{ trace_id: TRACE, span_id: PARENT, attributes: [{ key: "why", value: { string_value: "retry" } }] }],
                status: { code: "STATUS_CODE_ERROR", message: "bad" },
              },
            ],
          },
        ],
      },
    ],
  });
  assert.deepStrictEqual(decodeTracesJson(snake).spans, [expectedSpan]);
});

test("ids: hex in any case, base64 (padded or not, URL-safe) when it has the right length", () => {
  const variants = [
    { traceId: TRACE.toUpperCase(), spanId: SPAN.toUpperCase(), parentSpanId: PARENT.toUpperCase() },
    { traceId: b64(TRACE), spanId: b64(SPAN), parentSpanId: b64(PARENT) },
    { traceId: b64(TRACE).replace(/=+$/, ""), spanId: b64(SPAN).replace(/=+$/, ""), parentSpanId: b64(PARENT) },
  ];
  for (const ids of variants) {
    const [s] = decodeTracesJson(body([{ ...ids, name: "n" }])).spans;
    assert.deepStrictEqual([s?.traceId, s?.spanId, s?.parentSpanId], [TRACE, SPAN, PARENT], JSON.stringify(ids));
  }
  const urlSafe = "_-" + b64(TRACE).slice(2); // same length, URL-safe alphabet
  assert.equal(decodeTracesJson(body([{ traceId: urlSafe, spanId: SPAN }])).spans.length, 1);
});

test("enums as integers, names or numeric strings; unknown values become 0", () => {
  const kinds = [3, "SPAN_KIND_CLIENT", "3", 9, "SPAN_KIND_NEW", -1];
  const d = decodeTracesJson(
    body(
      kinds.map((kind, i) => ({
        traceId: TRACE,
        spanId: SPAN,
        name: `${i}`,
        kind,
        status: { code: kind === 3 ? "STATUS_CODE_OK" : 2 },
      })),
    ),
  );
  assert.deepStrictEqual(
    d.spans.map((s) => s.kind),
    [3, 3, 3, 0, 0, 0],
  );
  assert.deepStrictEqual(
    d.spans.map((s) => s.status.code),
    [1, 2, 2, 2, 2, 2],
  );
});

test("int64 as decimal string or number; big values become bigint; -0 is 0", () => {
  const ints = ["9007199254740991", 9007199254740991, "9007199254740992", 2 ** 60, "-9223372036854775808", -0, "0", 7];
  const d = decodeTracesJson(
    body([
      {
        traceId: TRACE,
        spanId: SPAN,
        startTimeUnixNano: 1750000000000000000,
        attributes: ints.map((v, i) => ({ key: `${i}`, value: { intValue: v } })),
      },
    ]),
  );
  const s = d.spans[0]!;
  assert.equal(s.startNs, BigInt(1750000000000000000)); // a number is taken as given (JSON may have rounded it)
  assert.deepStrictEqual(Object.values(s.attributes), [2 ** 53 - 1, 2 ** 53 - 1, 2n ** 53n, 2n ** 60n, -(2n ** 63n), 0, 0, 7]);
  assert.ok(Object.is(s.attributes["5"], 0));
});

test("spans with invalid ids are rejected exactly as in protobuf", () => {
  const cases: [string | undefined, string | undefined, string | undefined][] = [
    [TRACE, SPAN, "0000000000000000"],
    [undefined, SPAN, undefined],
    [TRACE.slice(2), SPAN, undefined],
    ["0".repeat(32), SPAN, undefined],
    [TRACE, SPAN + "01", undefined],
    [TRACE, "0".repeat(16), undefined],
    [TRACE, SPAN, "abcdef"],
    [TRACE, SPAN, ""],
  ];
  const json = decodeTracesJson(
    body(
      cases.map(([traceId, spanId, parentSpanId], i) => ({ traceId, spanId, parentSpanId, name: `${i}` })),
      { name: "x" },
    ),
  );
  const spans = cases.map(([t, s, p], i) =>
    pb.message(
      2,
      ...(t ? [pb.bytes(1, hexBytes(t))] : []),
      ...(s ? [pb.bytes(2, hexBytes(s))] : []),
      ...(p !== undefined ? [pb.bytes(4, hexBytes(p))] : []),
      pb.string(5, `${i}`),
    ),
  );
  const proto = decodeTracesProtobuf(
    pb.message(1, pb.message(1, kv.string(1, "service.name", "svc")), pb.message(2, pb.message(1, pb.string(1, "x")), ...spans)),
  );
  assert.deepStrictEqual(json, proto);
  assert.deepStrictEqual(
    json.spans.map((s) => [s.name, s.parentSpanId]),
    [
      ["0", null],
      ["7", null],
    ],
  );
  assert.equal(json.rejected, 6);
  assert.equal(json.rejectReasons.length, 5, "at most 5 reasons");
  assert.equal(json.rejectReasons[0], "span 1 of scope 'x': trace_id must be 16 bytes, got 0");
});

test("ids that are neither hex nor base64 reject the span and quote the value", () => {
  const d = decodeTracesJson(
    body(
      [
        { traceId: "zz-not-an-id", spanId: SPAN },
        { traceId: TRACE, spanId: 12 },
      ],
      { name: "x" },
    ),
  );
  assert.equal(d.rejected, 2);
  assert.deepStrictEqual(d.rejectReasons, [
    "span 0 of scope 'x': trace_id \"zz-not-an-id\" is not a hex id",
    "span 1 of scope 'x': span_id 12 is not a hex id",
  ]);
});

test("invalid JSON, non-object requests and wrongly shaped values throw DecodeError with a path", () => {
  throwsDecode(() => decodeTracesJson("{"), /^invalid JSON: /);
  throwsDecode(() => decodeTracesJson(""), /^invalid JSON: /);
  throwsDecode(() => decodeTracesJson("[]"), /must be a JSON object, got an array/);
  throwsDecode(() => decodeTracesJson("null"), /must be a JSON object, got null/);
  throwsDecode(() => decodeTracesJson('"x"'), /must be a JSON object/);
  throwsDecode(() => decodeTracesJson('{"resourceSpans":{}}'), /^resourceSpans: resourceSpans must be an array/);
  throwsDecode(
    () => decodeTracesJson(body([{ traceId: TRACE, spanId: SPAN, startTimeUnixNano: "12abc" }])),
    /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: startTimeUnixNano must be an unsigned 64-bit integer/,
  );
  throwsDecode(() => decodeTracesJson(body([{ startTimeUnixNano: "-1" }])), /startTimeUnixNano/);
  throwsDecode(() => decodeTracesJson(body([{ startTimeUnixNano: "18446744073709551616" }])), /startTimeUnixNano/);
  throwsDecode(
    () => decodeTracesJson(body([{ attributes: [{ key: "k", value: { intValue: 1.5 } }] }])),
    /spans\[0\]: attributes 'k': intValue must be a 64-bit integer/,
  );
  throwsDecode(
    () => decodeTracesJson(body([{ attributes: [{ key: "k", value: { intValue: "9223372036854775808" } }] }])),
    /intValue/,
  );
  throwsDecode(
    () => decodeTracesJson(body([{ attributes: [{ key: "k", value: { boolValue: "true" } }] }])),
    /boolValue must be a boolean/,
  );
  throwsDecode(() => decodeTracesJson(body([{ attributes: [{ key: 5 }] }])), /attributes\[0\]\.key must be a string/);
  throwsDecode(() => decodeTracesJson(body([{ name: 5 }])), /spans\[0\]: name must be a string, got 5/);
  throwsDecode(() => decodeTracesJson(body([{ kind: {} }])), /kind must be an enum/);
  throwsDecode(() => decodeTracesJson(body([], 7)), /scopeSpans\[0\]: scope must be an object/);
  throwsDecode(() => decodeTracesJson(body([{ events: [{ timeUnixNano: "x" }] }])), /events\[0\]\.timeUnixNano/);
  throwsDecode(
    () =>
      decodeTracesJson(
        body([{ attributes: [{ key: "k", value: { stringValue: "9".repeat(100) } }] }]).replace('"stringValue"', '"intValue"'),
      ),
    /intValue/,
  );
});

test("AnyValue nesting: 64 levels decode, 65 throw; deep JSON itself cannot crash the decoder", () => {
  const nested = (levels: number) => {
    let v: unknown = { stringValue: "leaf" };
    for (let i = 1; i < levels; i++) v = { kvlistValue: { values: [{ key: "k", value: v }] } };
    return body([{ traceId: TRACE, spanId: SPAN, attributes: [{ key: "deep", value: v }] }]);
  };
  assert.equal(decodeTracesJson(nested(64)).spans.length, 1);
  throwsDecode(() => decodeTracesJson(nested(65)), /attributes 'deep': AnyValue nested deeper than 64 levels/);
  const deepText =
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":' +
    '{"arrayValue":{"values":['.repeat(50_000) +
    "]}}".repeat(50_000) +
    "}]}]}]}]}";
  throwsDecode(() => decodeTracesJson(deepText), /nested deeper than 64/);
  const deepArrays = "[".repeat(100_000) + "]".repeat(100_000);
  assert.throws(() => decodeTracesJson(deepArrays), DecodeError);
});

test("the same data decodes identically from JSON and protobuf (unknown fields included)", () => {
  const proto = pb.message(
    1,
    pb.message(1, kv.string(1, "service.name", "svc")),
    pb.message(
      2,
      pb.message(1, pb.string(1, "sc")),
      pb.message(
        2,
        pb.bytes(1, hexBytes(TRACE)),
        pb.bytes(2, hexBytes(SPAN)),
        pb.bytes(4, hexBytes(PARENT)),
        pb.string(5, "chat"),
        pb.varint(6, 3),
        pb.fixed64(7, 1750000000000000000n),
        pb.fixed64(8, 1750000000000001500n),
        kv.string(9, "s", "v"),
        kv.int(9, "i", -42),
        kv.int(9, "big", 2n ** 63n - 1n),
        kv.double(9, "d", 0.5),
        kv.bool(9, "b", false),
        pb.message(
          9,
          pb.string(1, "arr"),
          pb.message(2, pb.message(5, pb.message(1, pb.string(1, "a")), pb.message(1, pb.varint(3, 1)), pb.message(1))),
        ),
        pb.message(
          9,
          pb.string(1, "kv"),
          pb.message(2, pb.message(6, pb.message(1, pb.string(1, "k"), pb.message(2, pb.double(4, Infinity))))),
        ),
        pb.message(9, pb.string(1, "bytes"), pb.message(2, pb.bytes(7, Uint8Array.from([0, 1, 255, 254])))),
        pb.message(9, pb.string(1, "none"), pb.message(2)),
        pb.message(9, pb.string(1, "missing")),
        pb.message(11, pb.fixed64(1, 1750000000000000010n), pb.string(2, "ev"), kv.bool(3, "ok", true)),
        pb.message(13, pb.bytes(1, hexBytes(TRACE)), pb.bytes(2, hexBytes(PARENT)), kv.string(4, "why", "retry")),
        pb.message(15, pb.string(2, "bad"), pb.varint(3, 2)),
        concat(pb.fixed32(16, 769), pb.string(999, "future")),
      ),
    ),
  );
  assert.deepStrictEqual(decodeTracesJson(body([fullSpan])), decodeTracesProtobuf(proto));
});

test("__proto__ keys stay own properties", () => {
  const text = body([
    {
      traceId: TRACE,
      spanId: SPAN,
      attributes: [{ key: "__proto__", value: { kvlistValue: { values: [{ key: "__proto__", value: { stringValue: "x" } }] } } }],
    },
  ]);
  const a = decodeTracesJson(text).spans[0]!.attributes;
  assert.equal(Object.getPrototypeOf(a), Object.prototype);
  const inner = Object.getOwnPropertyDescriptor(a, "__proto__")?.value as object;
  assert.equal(Object.getPrototypeOf(inner), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value, "x");
});

test("empty requests; a leading byte order mark is tolerated", () => {
  assert.deepStrictEqual(decodeTracesJson("{}"), { spans: [], rejected: 0, rejectReasons: [] });
  assert.deepStrictEqual(decodeTracesJson("\uFEFF{}"), { spans: [], rejected: 0, rejectReasons: [] });
  assert.deepStrictEqual(decodeTracesJson('{"resourceSpans":[]}'), { spans: [], rejected: 0, rejectReasons: [] });
  assert.deepStrictEqual(decodeLogsJson("{}"), { records: [], rejected: 0, rejectReasons: [] });
});

test("logs: ids optional, time falls back to observed time, snake_case accepted", () => {
  const text = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
        scopeLogs: [
          {
            scope: { name: "logger", version: "2" },
            logRecords: [
              {
                timeUnixNano: "5",
                observedTimeUnixNano: "6",
                severityNumber: 9,
                severityText: "INFO",
                body: { kvlistValue: { values: [{ key: "role", value: { stringValue: "user" } }] } },
                attributes: [{ key: "a", value: { intValue: "1" } }],
                traceId: TRACE,
                spanId: SPAN,
                eventName: "gen_ai.user.message",
              },
              {
                observed_time_unix_nano: "7",
                trace_id: "00000000000000000000000000000000",
                span_id: "abc",
                body: { string_value: "text" },
                event_name: "e",
              },
            ],
          },
        ],
      },
    ],
  });
  const d = decodeLogsJson(text);
  assert.deepStrictEqual(d.records[0], {
    traceId: TRACE,
    spanId: SPAN,
    timeNs: 5n,
    severityText: "INFO",
    body: { role: "user" },
    attributes: { a: 1 },
    eventName: "gen_ai.user.message",
    resource: { attributes: { "service.name": "svc" } },
    scope: { name: "logger", version: "2", attributes: {} },
  });
  assert.deepStrictEqual(
    [d.records[1]!.traceId, d.records[1]!.spanId, d.records[1]!.timeNs, d.records[1]!.body, d.records[1]!.eventName],
    [null, null, 7n, "text", "e"],
  );
  assert.equal(d.records[0]!.resource, d.records[1]!.resource);
  throwsDecode(
    () => decodeLogsJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":true}]}]}]}'),
    /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]: timeUnixNano/,
  );
});
