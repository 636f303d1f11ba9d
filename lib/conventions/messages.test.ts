import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canonicalJson,
  firstFinishReason,
  readIndexedMessages,
  readMessage,
  readMessages,
  readSystemInstructions,
  readToolCall,
  textOf,
} from "@/lib/conventions/messages";

test("OpenAI-native messages: tool_calls with ids, tool_call_id, deprecated function_call", () => {
  assert.deepEqual(
    readMessages(
      [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a": 1}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "ok" },
        { role: "assistant", content: "", function_call: { name: "g", arguments: "{}" } },
        {
          role: "user",
          content: [
            { type: "text", text: "look" },
            { type: "image_url", image_url: { url: "https://x" } },
          ],
          name: "ann",
        },
      ],
      "user",
    ),
    [
      { role: "assistant", content: null, toolCalls: [{ id: "call_1", name: "f", arguments: '{"a": 1}' }] },
      { role: "tool", content: "ok", toolCallId: "call_1" },
      { role: "assistant", content: null, toolCalls: [{ id: null, name: "g", arguments: "{}" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "https://x" } },
        ],
        name: "ann",
      },
    ],
  );
});

test("AI SDK parts: tool-call / tool-result with toolCallId, several results split into tool messages", () => {
  assert.deepEqual(
    readMessages(
      JSON.stringify([
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "t1", toolName: "a", input: { x: 1 } },
            { type: "tool-call", toolCallId: "t2", toolName: "b", args: "{}" },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "t1", toolName: "a", output: { type: "text", value: "A!" } },
            { type: "tool-result", toolCallId: "t2", toolName: "b", output: { type: "json", value: { ok: true } } },
          ],
        },
      ]),
      "user",
    ),
    [
      {
        role: "assistant",
        content: null,
        toolCalls: [
          { id: "t1", name: "a", arguments: '{"x":1}' },
          { id: "t2", name: "b", arguments: "{}" },
        ],
      },
      { role: "tool", content: "A!", toolCallId: "t1", name: "a" },
      { role: "tool", content: '{"ok":true}', toolCallId: "t2", name: "b" },
    ],
  );
});

test("Anthropic-native blocks and Responses items", () => {
  assert.deepEqual(
    readMessage({ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "42" }] }, "user"),
    [{ role: "tool", content: "42", toolCallId: "toolu_1" }],
  );
  assert.deepEqual(readMessage({ type: "function_call", id: "fc_1", call_id: "call_9", name: "f", arguments: "{}" }, "user"), [
    { role: "assistant", content: null, toolCalls: [{ id: "call_9", name: "f", arguments: "{}" }] },
  ]);
  assert.deepEqual(readMessage({ type: "function_call_output", call_id: "call_9", output: "done" }, "user"), [
    { role: "tool", content: "done", toolCallId: "call_9" },
  ]);
});

test("readMessages: unparseable values are undefined, empty array is []", () => {
  assert.equal(readMessages("{nope", "user"), undefined);
  assert.equal(readMessages("just text", "user"), undefined);
  assert.equal(readMessages(3, "user"), undefined);
  assert.equal(readMessages([1, 2], "user"), undefined);
  assert.deepEqual(readMessages("[]", "user"), []);
  assert.deepEqual(readMessages('{"role":"user","content":"single"}', "user"), [{ role: "user", content: "single" }]);
});

test("readToolCall shapes and missing pieces", () => {
  assert.deepEqual(readToolCall({ id: "c", name: "n", arguments: { a: [1] } }), { id: "c", name: "n", arguments: '{"a":[1]}' });
  assert.deepEqual(readToolCall({ id: 5, function: { name: "n" } }), { id: "5", name: "n", arguments: "" });
  assert.deepEqual(readToolCall({ toolName: "n", toolCallId: "" }), { id: null, name: "n", arguments: "" });
  assert.equal(readToolCall({ arguments: "{}" }), undefined);
  assert.equal(readToolCall("call"), undefined);
});

test("system instructions: parts, plain text, messages array", () => {
  assert.deepEqual(readSystemInstructions('[{"type":"text","content":"A"},{"type":"text","content":"B"}]'), [
    { role: "system", content: "A\nB" },
  ]);
  assert.deepEqual(readSystemInstructions("Be nice."), [{ role: "system", content: "Be nice." }]);
  assert.deepEqual(readSystemInstructions([{ role: "system", parts: [{ type: "text", content: "C" }] }]), [
    { role: "system", content: "C" },
  ]);
  assert.equal(readSystemInstructions(12), undefined);
});

test("indexed messages consume only known keys", () => {
  const attrs = {
    "gen_ai.prompt.0.role": "system",
    "gen_ai.prompt.0.content": "S",
    "gen_ai.prompt.10.role": "user",
    "gen_ai.prompt.10.content": "later",
    "gen_ai.prompt.2.role": "user",
    "gen_ai.prompt.2.content": "U",
    "gen_ai.prompt.2.searchResult.0.text": "kept",
    "gen_ai.prompt.name": "kept too",
  };
  const consumed = new Set<string>();
  const r = readIndexedMessages(attrs, "gen_ai.prompt", "user", consumed);
  assert.deepEqual(
    r?.messages.map((m) => m.content),
    ["S", "U", "later"],
  );
  assert.deepEqual([...consumed].sort(), [
    "gen_ai.prompt.0.content",
    "gen_ai.prompt.0.role",
    "gen_ai.prompt.10.content",
    "gen_ai.prompt.10.role",
    "gen_ai.prompt.2.content",
    "gen_ai.prompt.2.role",
  ]);
  assert.equal(readIndexedMessages({ "gen_ai.prompt.name": "x" }, "gen_ai.prompt", "user", new Set()), undefined);
});

test("text, canonical JSON and finish reasons", () => {
  assert.equal(
    textOf([
      { type: "text", text: "a" },
      { type: "text", text: "b" },
    ]),
    "a\nb",
  );
  assert.equal(textOf({ text: { value: "nested" } }), "nested");
  assert.equal(textOf({ a: 1 }), '{"a":1}');
  assert.equal(canonicalJson('{ "b": 1, "a": {"d": 2, "c": 3} }'), '{"a":{"c":3,"d":2},"b":1}');
  assert.equal(canonicalJson(" not json "), "not json");
  assert.equal(firstFinishReason(["tool-calls"]), "tool_calls");
  assert.equal(firstFinishReason('["", "stop"]'), "stop");
  assert.equal(firstFinishReason(""), undefined);
  assert.equal(firstFinishReason(3), undefined);
});

test("nested text values (Azure agents) read as text", () => {
  assert.deepEqual(readMessage({ role: "user", content: { text: { value: "Hi there" } } }, "user"), [
    { role: "user", content: "Hi there" },
  ]);
  assert.deepEqual(readMessage({ role: "user", content: [{ type: "text", text: { value: "Nested" } }] }, "user"), [
    { role: "user", content: "Nested" },
  ]);
});
