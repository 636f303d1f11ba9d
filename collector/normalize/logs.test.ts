import assert from "node:assert/strict";
import { test } from "node:test";
import type { AttrValue, Attributes, LogRecord, Span } from "@/lib/otlp/types";
import { createRedactor } from "@/lib/ingest/redact";
import type { LogEventRow } from "@/collector/normalize/batch";
import { applyLogEvents, type StepMessages, type StoredLogEvent } from "@/collector/normalize/log-events";
import { normalizeLogs } from "@/collector/normalize/logs";
import { normalizeBatch } from "@/collector/normalize/normalize";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";
const T0 = 1_763_700_000_000_000_000n;
const SECRET = "sk-proj-SEEDEDsecretVALUE0123456789abcdef";
const opts = { redact: createRedactor(["secrets", "emails", "cards"]), maxValueBytes: 256 };

function record(eventName: string, body: AttrValue, attributes: Attributes = {}, ms = 0): LogRecord {
  return {
    traceId: TRACE,
    spanId: SPAN,
    timeNs: T0 + BigInt(ms) * 1_000_000n,
    severityText: "",
    body,
    attributes,
    eventName,
    resource: { attributes: { "service.name": "bot" } },
    scope: { name: "test", version: "", attributes: {} },
  };
}

const LONG = "18°C and cloudy. ".repeat(40);
const CALL = [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }];
const RECORDS = [
  record("gen_ai.system.message", { content: "You are a weather assistant." }),
  record("gen_ai.user.message", { content: `Weather in Paris? my key is ${SECRET}, mail seed@example.com` }),
  record("gen_ai.assistant.message", { tool_calls: CALL }),
  record("gen_ai.tool.message", { id: "call_1", content: LONG }),
  record("gen_ai.choice", { index: 0, finish_reason: "stop", message: { content: "It is cloudy." } }),
];

const stored = (e: LogEventRow): StoredLogEvent => ({
  kind: e.kind,
  timeNs: e.timeNs,
  seq: e.seq,
  choiceIndex: e.choiceIndex,
  system: e.system,
  input: e.input,
  output: e.output,
  finishReason: e.finishReason,
  tools: e.tools === null ? null : (JSON.parse(e.tools) as unknown),
});

const EMPTY: StepMessages = {
  contextHashes: [],
  outputHashes: [],
  callIds: [],
  callNames: [],
  toolResultIds: [],
  truncated: [],
  finishReason: null,
  tools: null,
  marker: null,
};

test("a model call's events sent as logs give its step the messages, facts and cuts the span would have", () => {
  const logs = normalizeLogs("p", RECORDS, opts);
  assert.equal(logs.batch.logEvents.length, 5);
  const step = applyLogEvents(EMPTY, logs.batch.logEvents.map(stored))!;

  const span: Span = {
    traceId: TRACE,
    spanId: SPAN,
    parentSpanId: null,
    name: "chat gpt-4o",
    kind: 3,
    startNs: T0,
    endNs: T0 + 1_000_000_000n,
    attributes: { "gen_ai.operation.name": "chat" },
    events: RECORDS.map((r) => ({ name: r.eventName, timeNs: r.timeNs, attributes: { body: r.body } })),
    links: [],
    status: { code: 1, message: "" },
    resource: { attributes: { "service.name": "bot" } },
    scope: { name: "test", version: "", attributes: {} },
  };
  const fromSpan = normalizeBatch("p", [span], opts);
  const row = fromSpan.steps[0]!;
  assert.deepEqual(step.contextHashes, row.contextHashes);
  assert.deepEqual(step.outputHashes, row.outputHashes);
  assert.deepEqual([step.callIds, step.callNames, step.toolResultIds], [row.callIds, row.callNames, row.toolResultIds]);
  assert.deepEqual([step.callIds, step.toolResultIds], [[], ["call_1"]]);
  const attributes = JSON.parse(row.attributes) as Record<string, unknown>;
  // (The span also keeps its raw events, cut under `events[…]`: a log record has no such copy.)
  const messageCuts = (attributes["causeway.truncated"] as { path: string }[]).filter((c) => c.path.includes("_messages["));
  assert.deepEqual(step.truncated, messageCuts, "the long tool result is cut at the same path");
  assert.deepEqual(step.truncated, [{ path: "input_messages[3].content", bytes: Buffer.byteLength(LONG) }]);
  assert.equal(step.finishReason, attributes["causeway.finish_reason"]);
  assert.deepEqual(step.marker, { records: 5, input: true, output: true, finishReason: true, tools: false });
  // The same message rows: stored once, by the same hashes.
  for (const hash of [...step.contextHashes, ...step.outputHashes])
    assert.equal(logs.batch.messages.get(hash)?.content, fromSpan.messages.get(hash)?.content);
});

test("redaction runs before anything is kept: no secret in the rows or the messages", () => {
  const logs = normalizeLogs("p", RECORDS, opts);
  const everything = JSON.stringify(
    { events: logs.batch.logEvents, messages: [...logs.batch.messages.values()] },
    (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
  );
  assert.ok(!everything.includes("SEEDEDsecret"), "no api key");
  assert.ok(!everything.includes("seed@example.com"), "no email");
  assert.ok(everything.includes("[REDACTED:api_key]") && everything.includes("[REDACTED:email]"), "redaction markers");
});

test("other records are dropped, unusable GenAI events rejected with a reason", () => {
  const logs = normalizeLogs(
    "p",
    [
      record("", "GET /health 200"),
      record("gen_ai.user.message", 7),
      { ...record("gen_ai.user.message", { content: "x" }), spanId: null },
      RECORDS[1]!,
    ],
    opts,
  );
  assert.equal(logs.dropped, 1);
  assert.equal(logs.rejected, 2);
  assert.equal(logs.rejectReasons.length, 2);
  assert.match(logs.rejectReasons.join("; "), /body must be a map.*no trace_id\/span_id/);
  assert.equal(logs.batch.logEvents.length, 1);
});

test("a redelivered record has the same key; the same message twice in one request does not collapse", () => {
  const keys = (records: LogRecord[]) => normalizeLogs("p", records, opts).batch.logEvents.map((e) => e.recordKey);
  assert.deepEqual(keys(RECORDS), keys(RECORDS));
  const yes = record("gen_ai.user.message", { content: "yes" });
  const [a, b] = keys([yes, yes]);
  assert.notEqual(a, b);
  assert.deepEqual(keys([yes, yes]), [a, b]);
});
