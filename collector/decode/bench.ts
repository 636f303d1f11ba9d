/**
 * Decode throughput: `node --import tsx collector/decode/bench.ts [seconds]`.
 * A synthetic 512-span ExportTraceServiceRequest of GenAI-shaped spans (~1.2 KB each: ids,
 * times, a dozen attributes incl. message JSON, an event, a status), decoded repeatedly on one
 * core; prints spans/s and MB/s for protobuf and for the same data as OTLP/JSON.
 */
import { randomBytes } from "node:crypto";
import { kv, pb } from "@/collector/decode/pb-builder";
import { decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { decodeTracesJson } from "@/collector/decode/json";
import type { AttrValue, DecodedTraces, Span } from "@/lib/otlp/types";

const SPANS = 512;
const seconds = Number(process.argv[2] ?? 2);

function syntheticRequest(): Uint8Array {
  const traceId = randomBytes(16);
  const t0 = 1_750_000_000_000_000_000n;
  const spans: Uint8Array[] = [];
  for (let i = 0; i < SPANS; i++) {
    const input = JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a helpful travel agent. Be concise." }] },
      { role: "user", parts: [{ type: "text", content: `Find me a flight to Lisbon, request ${i}. `.repeat(7) }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: `call_${i}`, response: { ok: true, price: 120 + i } }] },
    ]);
    const output = JSON.stringify([
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: `call_${i + 1}`, name: "search_flights", arguments: { to: "LIS" } }],
      },
    ]);
    spans.push(
      pb.message(
        2,
        pb.bytes(1, traceId),
        pb.bytes(2, randomBytes(8)),
        pb.bytes(4, randomBytes(8)),
        pb.string(5, "chat gpt-4o-mini"),
        pb.varint(6, 3),
        pb.fixed64(7, t0 + BigInt(i) * 1_000_000n),
        pb.fixed64(8, t0 + BigInt(i) * 1_000_000n + 850_000n),
        kv.string(9, "gen_ai.operation.name", "chat"),
        kv.string(9, "gen_ai.system", "openai"),
        kv.string(9, "gen_ai.request.model", "gpt-4o-mini"),
        kv.string(9, "gen_ai.response.model", "gpt-4o-mini-2024-07-18"),
        kv.double(9, "gen_ai.request.temperature", 0.2),
        kv.int(9, "gen_ai.usage.input_tokens", 1200 + i),
        kv.int(9, "gen_ai.usage.output_tokens", 87),
        kv.bool(9, "gen_ai.request.stream", false),
        kv.string(9, "gen_ai.conversation.id", "conv_7d1f0a2b9c"),
        kv.string(9, "gen_ai.input.messages", input),
        kv.string(9, "gen_ai.output.messages", output),
        pb.message(
          9,
          pb.string(1, "gen_ai.response.finish_reasons"),
          pb.message(2, pb.message(5, pb.message(1, pb.string(1, "tool_calls")))),
        ),
        pb.message(
          11,
          pb.fixed64(1, t0 + BigInt(i) * 1_000_000n + 10n),
          pb.string(2, "gen_ai.content.completion"),
          kv.string(3, "finish", "tool_calls"),
        ),
        pb.message(15, pb.varint(3, 1)),
        pb.fixed32(16, 0x101),
      ),
    );
  }
  const resource = pb.message(
    1,
    kv.string(1, "service.name", "travel-agent"),
    kv.string(1, "service.instance.id", "7f3c"),
    kv.string(1, "telemetry.sdk.language", "nodejs"),
  );
  const scope = pb.message(1, pb.string(1, "@opentelemetry/instrumentation-openai"), pb.string(2, "0.5.0"));
  return pb.message(1, resource, pb.message(2, scope, ...spans));
}

/** The same request as OTLP/JSON, from its decoded form. */
function toJson(d: DecodedTraces): string {
  const anyValue = (v: AttrValue): unknown =>
    typeof v === "string"
      ? { stringValue: v }
      : typeof v === "boolean"
        ? { boolValue: v }
        : typeof v === "bigint"
          ? { intValue: `${v}` }
          : typeof v === "number"
            ? Number.isInteger(v)
              ? { intValue: v }
              : { doubleValue: v }
            : Array.isArray(v)
              ? { arrayValue: { values: v.map(anyValue) } }
              : {};
  const attrs = (a: Record<string, AttrValue>) => Object.entries(a).map(([key, v]) => ({ key, value: anyValue(v) }));
  const span = (s: Span) => ({
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? undefined,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: `${s.startNs}`,
    endTimeUnixNano: `${s.endNs ?? 0n}`,
    attributes: attrs(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: `${e.timeNs}`, name: e.name, attributes: attrs(e.attributes) })),
    status: s.status,
  });
  const first = d.spans[0]!;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: attrs(first.resource.attributes) },
        scopeSpans: [{ scope: { name: first.scope.name, version: first.scope.version }, spans: d.spans.map(span) }],
      },
    ],
  });
}

/** Runs `run` in 5 rounds after a warm-up; reports the median round (the machine may be shared). */
function measure(label: string, bytes: number, run: () => DecodedTraces): void {
  for (let i = 0; i < 200; i++) run(); // warm-up: let the JIT optimize
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const started = process.hrtime.bigint();
    const until = started + BigInt(Math.round((seconds / 5) * 1e9));
    let now = started;
    while (now < until) {
      for (let i = 0; i < 10; i++) if (run().spans.length !== SPANS) throw new Error("decode lost spans");
      n += 10;
      now = process.hrtime.bigint();
    }
    rates.push(n / (Number(now - started) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const requestsPerS = rates[2]!;
  const spansPerS = Math.round(requestsPerS * SPANS).toLocaleString("en-US");
  const mbPerS = ((requestsPerS * bytes) / 1e6).toFixed(0);
  const range = `${Math.round(rates[0]! * SPANS).toLocaleString("en-US")}–${Math.round(rates[4]! * SPANS).toLocaleString("en-US")}`;
  console.log(
    `${label.padEnd(9)} ${spansPerS.padStart(9)} spans/s  ${mbPerS.padStart(4)} MB/s  (median of 5 rounds; range ${range} spans/s)`,
  );
}

const body = syntheticRequest();
const json = toJson(decodeTracesProtobuf(body));
console.log(
  `request: ${SPANS} spans, protobuf ${body.length} bytes (${Math.round(body.length / SPANS)} B/span), JSON ${Buffer.byteLength(json)} bytes`,
);
measure("protobuf", body.length, () => decodeTracesProtobuf(body));
measure("json", Buffer.byteLength(json), () => decodeTracesJson(json));
