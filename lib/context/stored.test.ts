import assert from "node:assert/strict";
import { test } from "node:test";
import { readAnnotations, readEvents, readLinks, readMessage } from "@/lib/context/stored";

test("annotations are split out of the attributes; other causeway-free keys stay", () => {
  const a = readAnnotations({
    "http.method": "POST",
    "causeway.tools": [{ name: "t" }],
    "causeway.parameters": { temperature: 0 },
    "causeway.finish_reason": "stop",
    "causeway.handoff_to": "billing",
    "causeway.truncated": [{ path: "input", bytes: 9000 }, { path: 3 }],
    "causeway.omitted": ["input.value", 7],
  });
  assert.deepEqual(a, {
    attributes: { "http.method": "POST" },
    tools: [{ name: "t" }],
    parameters: { temperature: 0 },
    finishReason: "stop",
    truncated: [{ path: "input", bytes: 9000 }],
    omitted: ["input.value"],
  });
  assert.deepEqual(readAnnotations(null), {
    attributes: {},
    tools: [],
    parameters: {},
    finishReason: null,
    truncated: [],
    omitted: [],
  });
});

test("exception events get their fields lifted; odd events degrade", () => {
  const events = readEvents([
    {
      name: "exception",
      timeNs: "1763700000500000000",
      attributes: { "exception.type": "Error", "exception.message": "boom", "exception.stacktrace": "Error: boom\n  at x" },
    },
    { name: "retry", timeNs: 12, attributes: "nope" },
    "garbage",
  ]);
  assert.deepEqual(events, [
    {
      name: "exception",
      timeNs: "1763700000500000000",
      attributes: { "exception.type": "Error", "exception.message": "boom", "exception.stacktrace": "Error: boom\n  at x" },
      exception: { type: "Error", message: "boom", stacktrace: "Error: boom\n  at x" },
    },
    { name: "retry", timeNs: "0", attributes: {}, exception: null },
  ]);
  assert.deepEqual(readLinks([{ traceId: "t", spanId: "s" }]), [{ traceId: "t", spanId: "s", attributes: {} }]);
});

test("stored canonical messages become context messages", () => {
  const m = readMessage(
    "h",
    {
      role: "assistant",
      content: { role: "assistant", content: null, tool_calls: [{ id: null, name: "f", arguments: "{}" }], name: "bot" },
      byteSize: 90,
      truncated: false,
    },
    [{ path: "content", bytes: 1 }],
  );
  assert.deepEqual(m, {
    hash: "h",
    role: "assistant",
    content: null,
    toolCalls: [{ id: null, name: "f", arguments: "{}" }],
    toolCallId: null,
    name: "bot",
    byteSize: 90,
    truncated: false,
    cuts: [{ path: "content", bytes: 1 }],
  });
  const missing = readMessage("gone", undefined);
  assert.equal(missing.role, "unknown");
  assert.equal(
    readMessage("o", { role: "user", content: { content: { odd: true } }, byteSize: 1, truncated: false }).content,
    '{"odd":true}',
  );
});
