import assert from "node:assert/strict";
import { test } from "node:test";
import type { AttrValue, Attributes, LogRecord } from "@/lib/otlp/types";
import type { ChatMessage } from "@/lib/conventions/types";
import { genai } from "@/lib/conventions/genai";
import { mergeGenAiEventParts, readGenAiLogRecord, type GenAiLogEvent, type OrderedPart } from "@/lib/conventions/genai-logs";
import { buildEvent, buildSpan, scope } from "@/lib/conventions/test-builders";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const SPAN = "00f067aa0ba902b7";
const T0 = 1_700_000_000_000_000_000n;

function record(eventName: string, body: AttrValue, attributes: Attributes = {}, partial: Partial<LogRecord> = {}): LogRecord {
  return {
    traceId: TRACE,
    spanId: SPAN,
    timeNs: T0,
    severityText: "",
    body,
    attributes,
    eventName,
    resource: { attributes: { "service.name": "test-agent" } },
    scope: scope("test"),
    ...partial,
  };
}

function eventOf(r: LogRecord): GenAiLogEvent {
  const result = readGenAiLogRecord(r);
  assert.ok(
    result && "event" in result,
    `a GenAI event: ${JSON.stringify(result, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))}`,
  );
  return result.event;
}

/** The records of one model call merged as the collector does (messages kept as ChatMessage). */
function merged(records: LogRecord[]) {
  const parts: OrderedPart<ChatMessage, unknown>[] = records.map((r, seq) => {
    const p = eventOf(r).part;
    return {
      kind: p.kind,
      timeNs: r.timeNs,
      seq: BigInt(seq),
      choiceIndex: p.kind === "choice" ? (p.index ?? null) : null,
      system: p.kind === "details" ? (p.system ?? null) : null,
      input: p.kind !== "choice" ? (p.input ?? null) : null,
      output: p.kind !== "message" ? (p.output ?? null) : null,
      finishReason: p.kind !== "message" ? (p.finishReason ?? null) : null,
      tools: p.kind === "details" ? (p.tools ?? null) : null,
    };
  });
  return mergeGenAiEventParts(parts);
}

// The older per-message form as the OTel JS/Python instrumentations log it: the message is the record's body.
const OLDER = [
  record("gen_ai.system.message", { content: "You are a weather assistant." }, { "gen_ai.system": "openai" }),
  record("gen_ai.user.message", { content: "Weather in Paris?" }, { "gen_ai.system": "openai" }),
  record(
    "gen_ai.assistant.message",
    {
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    },
    { "gen_ai.system": "openai" },
  ),
  record("gen_ai.tool.message", { id: "call_1", content: "18°C, cloudy" }, { "gen_ai.system": "openai" }),
  record(
    "gen_ai.choice",
    {
      index: 0,
      finish_reason: "tool_calls",
      message: { tool_calls: [{ id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } }] },
    },
    { "gen_ai.system": "openai" },
  ),
];

test("older per-message events as log records read exactly as the same events on the span", () => {
  const fromLogs = merged(OLDER);
  const onSpan = genai.normalize(
    buildSpan({
      name: "chat gpt-4o",
      attributes: { "gen_ai.operation.name": "chat" },
      events: OLDER.map((r) => buildEvent(r.eventName, { ...r.attributes, body: r.body })),
    }),
  );
  assert.deepEqual(fromLogs.input, onSpan.inputMessages);
  assert.deepEqual(fromLogs.output, onSpan.outputMessages);
  assert.equal(fromLogs.finishReason, onSpan.finishReason);
  assert.deepEqual(fromLogs.input, [
    { role: "system", content: "You are a weather assistant." },
    { role: "user", content: "Weather in Paris?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: "18°C, cloudy", toolCallId: "call_1" },
  ]);
  assert.deepEqual(fromLogs.output, [
    { role: "assistant", content: null, toolCalls: [{ id: "call_2", name: "get_time", arguments: "{}" }] },
  ]);
  assert.equal(fromLogs.finishReason, "tool_calls");
});

test("the event name comes from event_name or, from older SDKs, the event.name attribute", () => {
  const byAttribute = record("", { content: "Hi" }, { "event.name": "gen_ai.user.message" });
  assert.deepEqual(eventOf(byAttribute).part, { kind: "message", input: [{ role: "user", content: "Hi" }] });
  assert.equal(eventOf(record("gen_ai.user.message", "Hi")).name, "gen_ai.user.message", "a string body is the content");
});

test("the operation-details event: structured input, output and system instructions", () => {
  const details = record("gen_ai.client.inference.operation.details", null, {
    "gen_ai.operation.name": "chat",
    "gen_ai.system_instructions": [{ type: "text", content: "Be brief." }],
    "gen_ai.input.messages": [
      { role: "user", parts: [{ type: "text", content: "Weather in Paris?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: "rainy" }] },
    ],
    "gen_ai.output.messages": [{ role: "assistant", parts: [{ type: "text", content: "Rainy." }], finish_reason: "stop" }],
    "gen_ai.tool.definitions": [{ type: "function", name: "get_weather" }],
  });
  const m = merged([details]);
  assert.deepEqual(m.input, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Weather in Paris?" },
    { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] },
    { role: "tool", content: "rainy", toolCallId: "call_1" },
  ]);
  assert.deepEqual(m.output, [{ role: "assistant", content: "Rainy." }]);
  assert.equal(m.finishReason, "stop");
  assert.deepEqual(m.tools, [{ type: "function", name: "get_weather" }]);

  const onSpan = genai.normalize(
    buildSpan({
      name: "chat gpt-4o",
      attributes: { "gen_ai.operation.name": "chat" },
      events: [buildEvent(details.eventName, details.attributes)],
    }),
  );
  assert.deepEqual(m.input, onSpan.inputMessages, "as the same event on the span");
  assert.deepEqual(m.output, onSpan.outputMessages);
});

test("records of one call merge in time order, then arrival order; choices by index; details win", () => {
  const at = (ms: number) => ({ timeNs: T0 + BigInt(ms) * 1_000_000n });
  const user2 = record("gen_ai.user.message", { content: "second" }, {}, at(5));
  const user1 = record("gen_ai.user.message", { content: "first" }, {}, at(5));
  const early = record("gen_ai.system.message", { content: "system" }, {}, at(1));
  const choice1 = record("gen_ai.choice", { index: 1, finish_reason: "length", message: { content: "B" } }, {}, at(9));
  const choice0 = record("gen_ai.choice", { index: 0, finish_reason: "stop", message: { content: "A" } }, {}, at(10));
  // Arrival order user1 before user2 (equal times), the system message stamped earlier although it arrives last.
  const m = merged([user1, user2, choice1, choice0, early]);
  assert.deepEqual(
    m.input?.map((x) => x.content),
    ["system", "first", "second"],
  );
  assert.deepEqual(
    m.output?.map((x) => x.content),
    ["A", "B"],
  );
  assert.equal(m.finishReason, "length", "the first choice received gives the finish reason, as on spans");

  const details = record("gen_ai.client.inference.operation.details", null, {
    "gen_ai.input.messages": [{ role: "user", parts: [{ type: "text", content: "from details" }] }],
  });
  const d = merged([user1, details, choice0]);
  assert.deepEqual(
    d.input?.map((x) => x.content),
    ["from details"],
    "details input wins over per-message events",
  );
  assert.deepEqual(
    d.output?.map((x) => x.content),
    ["A"],
    "choices still give the output the details event lacks",
  );
});

test("other records are not GenAI events; unusable GenAI events say why", () => {
  assert.equal(readGenAiLogRecord(record("", "GET /health 200")), null, "a plain log");
  assert.equal(readGenAiLogRecord(record("gen_ai.evaluation.result", { score: 1 })), null, "a GenAI event without messages");
  assert.equal(
    readGenAiLogRecord(record("gen_ai.client.inference.operation.details", null, { "gen_ai.operation.name": "chat" })),
    null,
    "details recorded without content: nothing to apply",
  );
  const errorOf = (r: LogRecord) => {
    const result = readGenAiLogRecord(r);
    assert.ok(result && "error" in result, JSON.stringify(result));
    return result.error;
  };
  assert.match(errorOf(record("gen_ai.user.message", { content: "x" }, {}, { spanId: null })), /no trace_id\/span_id/);
  assert.match(errorOf(record("gen_ai.user.message", 42)), /body must be a map/);
  assert.match(
    errorOf(record("gen_ai.client.inference.operation.details", null, { "gen_ai.input.messages": "{not json" })),
    /gen_ai\.input\.messages could not be read/,
  );
});
