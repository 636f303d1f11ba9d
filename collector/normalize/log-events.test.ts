import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogEventMessage } from "@/collector/normalize/batch";
import { applyLogEvents, type StepMessages, type StoredLogEvent } from "@/collector/normalize/log-events";

const msg = (hash: string, role: string, extra: Partial<LogEventMessage> = {}): LogEventMessage => ({ hash, role, ...extra });
let seq = 0n;
function event(kind: StoredLogEvent["kind"], parts: Partial<StoredLogEvent>): StoredLogEvent {
  return {
    kind,
    timeNs: 1_000n,
    seq: seq++,
    choiceIndex: null,
    system: null,
    input: null,
    output: null,
    finishReason: null,
    tools: null,
    ...parts,
  };
}

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

const USER = event("message", { input: [msg("h-user", "user")] });
const TOOL = event("message", {
  input: [msg("h-tool", "tool", { toolCallId: "call_1", cuts: [{ path: "content", bytes: 9000 }] })],
});
const CHOICE = event("choice", {
  choiceIndex: 0,
  output: [msg("h-decision", "assistant", { toolCalls: [{ id: "call_2", name: "book" }] })],
  finishReason: "tool_calls",
});

test("events fill an empty step: context, decisions, facts, cuts and finish reason", () => {
  const step = applyLogEvents(EMPTY, [USER, TOOL, CHOICE])!;
  assert.deepEqual(step.contextHashes, ["h-user", "h-tool"]);
  assert.deepEqual(step.outputHashes, ["h-decision"]);
  assert.deepEqual([step.callIds, step.callNames, step.toolResultIds], [["call_2"], ["book"], ["call_1"]]);
  assert.deepEqual(step.truncated, [{ path: "input_messages[1].content", bytes: 9000 }]);
  assert.equal(step.finishReason, "tool_calls");
  assert.deepEqual(step.marker, { records: 3, input: true, output: true, finishReason: true, tools: false });
  assert.equal(applyLogEvents(step, [USER, TOOL, CHOICE]), null, "applying the same events again changes nothing");
});

test("events that arrive later replace what earlier events gave, in order", () => {
  const first = applyLogEvents(EMPTY, [TOOL, CHOICE])!;
  assert.deepEqual(first.contextHashes, ["h-tool"]);
  const later = applyLogEvents(first, [CHOICE, TOOL, USER])!;
  assert.deepEqual(later.contextHashes, ["h-user", "h-tool"], "arrival order, whatever order they are read in");
  assert.deepEqual(later.truncated, [{ path: "input_messages[1].content", bytes: 9000 }], "cuts move with their message");
});

test("what the span carried itself wins; the events fill the rest", () => {
  const span: StepMessages = {
    ...EMPTY,
    contextHashes: ["h-span-user"],
    toolResultIds: [],
    truncated: [
      { path: "input_messages[0].content", bytes: 5000 },
      { path: "attributes.big", bytes: 7000 },
    ],
    finishReason: "stop",
  };
  const step = applyLogEvents(span, [USER, TOOL, CHOICE])!;
  assert.deepEqual(step.contextHashes, ["h-span-user"], "the span's own input stays");
  assert.deepEqual(step.toolResultIds, []);
  assert.deepEqual(step.outputHashes, ["h-decision"], "the output the span lacked comes from the events");
  assert.deepEqual(step.callIds, ["call_2"]);
  assert.equal(step.finishReason, "stop", "the span's own finish reason stays");
  assert.deepEqual(step.truncated, span.truncated, "the span's cuts stay");
  assert.deepEqual(step.marker, { records: 3, input: false, output: true, finishReason: false, tools: false });
});

test("an operation-details event gives system instructions first and tool definitions", () => {
  const details = event("details", {
    system: [msg("h-system", "system")],
    output: [msg("h-answer", "assistant")],
    finishReason: "stop",
    tools: [{ type: "function", name: "book" }],
  });
  const step = applyLogEvents(EMPTY, [USER, details])!;
  assert.deepEqual(step.contextHashes, ["h-system", "h-user"]);
  assert.deepEqual(step.outputHashes, ["h-answer"]);
  assert.deepEqual(step.tools, [{ type: "function", name: "book" }]);
  assert.equal(step.marker?.tools, true);
  const withOwnTools = applyLogEvents({ ...EMPTY, tools: [{ name: "own" }] }, [details])!;
  assert.deepEqual(withOwnTools.tools, [{ name: "own" }]);
});
