/** Response bodies, checked with the OTel JS exporter's own response deserializers where they exist. */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  JsonLogsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from "@opentelemetry/otlp-transformer";
import { encodeLogsResponse, encodeStatus, encodeTraceResponse } from "@/collector/decode/responses";
import { Reader } from "@/collector/decode/protobuf-reader";

const utf8 = (s: string) => new TextEncoder().encode(s);

test("trace responses: full success is empty, partial success carries count and message", () => {
  assert.deepStrictEqual(encodeTraceResponse("protobuf"), new Uint8Array(0));
  assert.equal(encodeTraceResponse("json"), "{}");
  assert.deepStrictEqual(ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse("protobuf")), {});

  const partial = { rejected: 3, message: "span 0 of scope 'x': trace_id must be 16 bytes, got 0; ✗" };
  assert.deepStrictEqual(ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse("protobuf", partial)), {
    partialSuccess: { rejectedSpans: 3, errorMessage: partial.message },
  });
  const json = encodeTraceResponse("json", partial);
  // proto3 JSON mapping: int64 is a decimal string.
  assert.deepStrictEqual(JSON.parse(json), { partialSuccess: { rejectedSpans: "3", errorMessage: partial.message } });
  assert.deepStrictEqual(JsonTraceSerializer.deserializeResponse(utf8(json)), {
    partialSuccess: { rejectedSpans: "3", errorMessage: partial.message },
  });

  const big = { rejected: 300_000, message: "" };
  assert.deepStrictEqual(ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse("protobuf", big)), {
    partialSuccess: { rejectedSpans: 300_000 },
  });
  assert.equal(encodeTraceResponse("json", big), '{"partialSuccess":{"rejectedSpans":"300000"}}');
  // A warning with nothing rejected (allowed by the spec): rejected stays at its default, 0.
  assert.deepStrictEqual(
    ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse("protobuf", { rejected: 0, message: "w" })),
    { partialSuccess: { errorMessage: "w" } },
  );
});

test("logs responses use rejected_log_records", () => {
  assert.deepStrictEqual(encodeLogsResponse("protobuf"), new Uint8Array(0));
  assert.equal(encodeLogsResponse("json"), "{}");
  const partial = { rejected: 2, message: "bad records" };
  assert.deepStrictEqual(ProtobufLogsSerializer.deserializeResponse(encodeLogsResponse("protobuf", partial)), {
    partialSuccess: { rejectedLogRecords: 2, errorMessage: "bad records" },
  });
  assert.deepStrictEqual(JsonLogsSerializer.deserializeResponse(utf8(encodeLogsResponse("json", partial))), {
    partialSuccess: { rejectedLogRecords: "2", errorMessage: "bad records" },
  });
});

/** google.rpc.Status{1: int32 code, 2: string message, 3: repeated Any details}, decoded by hand. */
function decodeStatus(body: Uint8Array): { code: number; message: string } {
  const r = new Reader(body);
  let code = 0;
  let message = "";
  while (r.pos < body.length) {
    const tag = r.tag("Status");
    if (tag === 8) code = r.uint32(1, "Status") | 0;
    else if (tag === 18) message = r.string(tag, "Status", body.length);
    else r.skip(tag, "Status", body.length);
  }
  return { code, message };
}

test("Status bodies for errors, in both formats", () => {
  const message = "could not decode the request: truncated length-delimited field 9 in Span (length 40) at byte 1234 — é";
  assert.deepStrictEqual(decodeStatus(encodeStatus("protobuf", 3, message)), { code: 3, message });
  assert.deepStrictEqual(JSON.parse(encodeStatus("json", 3, message)), { code: 3, message });
  assert.deepStrictEqual(decodeStatus(encodeStatus("protobuf", 14, "")), { code: 14, message: "" });
  assert.deepStrictEqual(decodeStatus(encodeStatus("protobuf", -1, "x")), { code: -1, message: "x" });
  assert.deepStrictEqual(Array.from(encodeStatus("protobuf", 8, "hi")), [0x08, 8, 0x12, 2, 0x68, 0x69]);
});
