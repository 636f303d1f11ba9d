/**
 * Round trip against the real OpenTelemetry JS SDK and its OTLP serializers: spans and log
 * records produced by the SDK are serialized as protobuf and as OTLP/JSON, both are decoded,
 * and the two results must be deep-equal and carry the SDK's own values.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SpanKind as ApiSpanKind, SpanStatusCode, context, trace, type HrTime } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import type { AttrValue, Attributes, DecodedTraces } from "@/lib/otlp/types";
import { decodeLogsProtobuf, decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { decodeLogsJson, decodeTracesJson } from "@/collector/decode/json";

const ns = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** What an SDK attribute value must decode to: integers beyond 2^53 become bigint, the rest stays. */
function expected(v: unknown): AttrValue {
  if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(expected);
  if (v instanceof Uint8Array) return v;
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]));
  return v as AttrValue;
}
const expectedAttrs = (a: object): Attributes => expected(a) as Attributes;

const RESOURCE = { "service.name": "roundtrip-agent", "service.instance.id": "i-1", "deployment.replicas": 3 };

/** Every span kind, every attribute type, events, links, statuses, nesting. */
function makeSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("causeway-test", "1.2.3");
  const other = provider.getTracer("other-scope");
  const t0: HrTime = [1_750_000_000, 123_456_789];

  const root = tracer.startSpan("invoke_agent travel", {
    kind: ApiSpanKind.SERVER,
    startTime: t0,
    attributes: {
      str: "héllo wörld ✈️",
      empty: "",
      int: 42,
      neg: -7,
      negBig: -9_007_199_254_740_991,
      zero: 0,
      huge: 2 ** 60, // > 2^53: an int64 only representable as bigint
      double: 3.25,
      negDouble: -0.5,
      yes: true,
      no: false,
      strs: ["a", "b", ""],
      ints: [1, -2, 3],
      doubles: [1.5, 2.5],
      bools: [true, false],
      withNull: ["x", null, "y"],
      emptyArray: [],
    },
  });
  root.addEvent("gen_ai.user.message", { content: "hi", n: 1 }, [1_750_000_000, 200_000_000]);
  root.addEvent("no-attributes", [1_750_000_001, 0]);
  const ctx = trace.setSpan(context.active(), root);
  const kinds = [ApiSpanKind.CLIENT, ApiSpanKind.PRODUCER, ApiSpanKind.CONSUMER, ApiSpanKind.INTERNAL];
  const children = kinds.map((kind, i) =>
    tracer.startSpan(`child ${i}`, { kind, startTime: [1_750_000_000, 300_000_000 + i] }, ctx),
  );
  children[0]!.setStatus({ code: SpanStatusCode.ERROR, message: "tool failed: timeout" });
  children[0]!.recordException(new Error("boom"), [1_750_000_000, 400_000_000]);
  children[1]!.setStatus({ code: SpanStatusCode.OK });
  const linked = other.startSpan("linked", {
    startTime: t0,
    links: [
      { context: root.spanContext(), attributes: { "link.kind": "follows", "link.n": 2 } },
      { context: children[0]!.spanContext() },
    ],
  });
  children.forEach((c, i) => c.end([1_750_000_000, 500_000_000 + i]));
  linked.end([1_750_000_002, 0]);
  root.end([1_750_000_003, 999_999_999]);

  const spans = exporter.getFinishedSpans();
  // Span attributes the API cannot set but OTLP carries (and the serializers write): a nested
  // key-value list and bytes. Added to the finished span, as an instrumentation bypassing the API would.
  const rootSpan = spans.find((s) => s.name === "invoke_agent travel")!;
  Object.assign(rootSpan.attributes, {
    nested: { a: 1, b: ["x", { deep: true }], c: { d: -3 } },
    bytes: Uint8Array.from([0, 1, 2, 254, 255]),
  });
  return spans;
}

function decodeBoth(spans: ReadableSpan[]): { pb: DecodedTraces; json: DecodedTraces } {
  const pbBody = ProtobufTraceSerializer.serializeRequest(spans)!;
  const jsonBody = JsonTraceSerializer.serializeRequest(spans)!;
  return { pb: decodeTracesProtobuf(pbBody), json: decodeTracesJson(text(jsonBody)) };
}

test("protobuf and JSON from the OTel JS serializers decode to the same, correct spans", () => {
  const spans = makeSpans();
  const { pb, json } = decodeBoth(spans);
  assert.deepStrictEqual(pb, json);
  assert.equal(pb.rejected, 0);
  assert.deepStrictEqual(pb.rejectReasons, []);
  assert.equal(pb.spans.length, spans.length);

  for (const s of spans) {
    const d = pb.spans.find((x) => x.spanId === s.spanContext().spanId);
    assert.ok(d, `span ${s.name} decoded`);
    assert.equal(d.traceId, s.spanContext().traceId);
    assert.match(d.traceId, /^[0-9a-f]{32}$/);
    assert.match(d.spanId, /^[0-9a-f]{16}$/);
    assert.equal(d.parentSpanId, s.parentSpanContext?.spanId ?? null);
    assert.equal(d.name, s.name);
    assert.equal(d.kind, s.kind + 1, "OTLP kinds are the API kinds + 1");
    assert.equal(d.startNs, ns(s.startTime));
    assert.equal(d.endNs, ns(s.endTime));
    assert.deepStrictEqual(d.status, { code: s.status.code, message: s.status.message ?? "" });
    assert.deepStrictEqual(d.attributes, expectedAttrs(s.attributes));
    assert.deepStrictEqual(
      d.events,
      s.events.map((e) => ({ name: e.name, timeNs: ns(e.time), attributes: expectedAttrs(e.attributes ?? {}) })),
    );
    assert.deepStrictEqual(
      d.links,
      s.links.map((l) => ({
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        attributes: expectedAttrs(l.attributes ?? {}),
      })),
    );
    assert.deepStrictEqual(d.resource.attributes, expectedAttrs(s.resource.attributes));
    assert.equal(d.scope.name, s.instrumentationScope.name);
    assert.equal(d.scope.version, s.instrumentationScope.version ?? "");
  }

  const root = pb.spans.find((s) => s.name === "invoke_agent travel")!;
  assert.equal(root.attributes.huge, 2n ** 60n);
  assert.equal(root.attributes.neg, -7);
  assert.equal(root.attributes.negBig, -9_007_199_254_740_991);
  assert.deepStrictEqual(root.attributes.bytes, Uint8Array.from([0, 1, 2, 254, 255]));
  assert.deepStrictEqual(root.attributes.nested, { a: 1, b: ["x", { deep: true }], c: { d: -3 } });
  const kinds = new Set(pb.spans.map((s) => s.kind));
  assert.deepStrictEqual([...kinds].sort(), [1, 2, 3, 4, 5]);
  assert.ok(pb.spans.some((s) => s.status.code === 2 && s.status.message === "tool failed: timeout"));
});

test("spans of one ResourceSpans/ScopeSpans share the same resource and scope objects", () => {
  for (const decoded of Object.values(decodeBoth(makeSpans()))) {
    const [first, ...rest] = decoded.spans;
    for (const s of rest) assert.equal(s.resource, first!.resource, "one resource object");
    const scopes = new Set(decoded.spans.map((s) => s.scope));
    assert.equal(scopes.size, 2, "two scopes, two scope objects");
    assert.deepStrictEqual([...scopes].map((s) => s.name).sort(), ["causeway-test", "other-scope"]);
  }
});

test("log records from the OTel JS serializers decode the same from protobuf and JSON", async () => {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(RESOURCE),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger("genai-events", "0.1.0", { attributes: { "scope.attr": "s" } });
  const span = new BasicTracerProvider().getTracer("t").startSpan("owner");
  const withSpan = trace.setSpan(context.active(), span);
  logger.emit({
    eventName: "gen_ai.choice",
    body: { index: 0, message: { role: "assistant", content: "Lisbon" }, tokens: [1, 2], big: 2 ** 60 },
    attributes: { "gen_ai.system": "openai", n: -1 },
    severityText: "INFO",
    severityNumber: 9,
    timestamp: [1_750_000_000, 5],
    context: withSpan,
  });
  logger.emit({ body: "plain text", observedTimestamp: [1_750_000_001, 6] });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();

  const pb = decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!);
  const json = decodeLogsJson(text(JsonLogsSerializer.serializeRequest(records)!));
  assert.deepStrictEqual(pb, json);
  assert.equal(pb.records.length, 2);

  const [choice, plain] = pb.records;
  assert.equal(choice!.traceId, span.spanContext().traceId);
  assert.equal(choice!.spanId, span.spanContext().spanId);
  assert.equal(choice!.eventName, "gen_ai.choice");
  assert.equal(choice!.severityText, "INFO");
  assert.equal(choice!.timeNs, 1_750_000_000_000_000_005n);
  assert.deepStrictEqual(choice!.body, {
    index: 0,
    message: { role: "assistant", content: "Lisbon" },
    tokens: [1, 2],
    big: 2n ** 60n,
  });
  assert.deepStrictEqual(choice!.attributes, { "gen_ai.system": "openai", n: -1 });
  assert.deepStrictEqual(choice!.scope, { name: "genai-events", version: "0.1.0", attributes: { "scope.attr": "s" } });
  assert.equal(choice!.resource.attributes["service.name"], "roundtrip-agent");
  assert.equal(plain!.traceId, null, "no span context: no ids, not rejected");
  assert.equal(plain!.spanId, null);
  assert.equal(plain!.body, "plain text");
  assert.equal(plain!.timeNs, ns(records[1]!.hrTime), "the SDK fills time from the observed time");
});
