import assert from "node:assert/strict";
import { test } from "node:test";
import { keptBytes, messageCuts } from "@/lib/context/cuts";

test("message cuts are keyed by side and position, with paths relative to the message", () => {
  const cuts = messageCuts([
    { path: "input_messages[3].content", bytes: 1_200_000 },
    { path: "input_messages[3].tool_calls[0].arguments", bytes: 90_000 },
    { path: "output_messages[0].content[1].text", bytes: 70_000 },
    { path: "input", bytes: 5_000_000 },
    { path: "attributes.big.value", bytes: 20_000 },
  ]);
  assert.deepEqual(
    [...cuts.input],
    [
      [
        3,
        [
          { path: "content", bytes: 1_200_000 },
          { path: "tool_calls[0].arguments", bytes: 90_000 },
        ],
      ],
    ],
  );
  assert.deepEqual([...cuts.output], [[0, [{ path: "content[1].text", bytes: 70_000 }]]]);
});

test("kept bytes of a cut field, found by its path", () => {
  const m = {
    content: [{ type: "text", text: "héllo" }],
    toolCalls: [{ id: "c", name: "f", arguments: "{}" }],
    toolCallId: null,
    name: null,
  };
  assert.equal(keptBytes(m, "content[0].text"), 6);
  assert.equal(keptBytes(m, "tool_calls[0].arguments"), 2);
  assert.equal(keptBytes({ ...m, content: "abc" }, "content"), 3);
  assert.equal(keptBytes(m, "content[3].text"), null);
  assert.equal(keptBytes(m, "content"), null);
});
