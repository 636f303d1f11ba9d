import assert from "node:assert/strict";
import { test } from "node:test";
import { messageText, searchWords, snippet } from "@/lib/search/snippet";

test("a message's text: string content, text parts, tool calls", () => {
  assert.equal(messageText({ role: "user", content: "Where is my  order?" }), "Where is my order?");
  assert.equal(
    messageText({
      role: "user",
      content: [
        { type: "text", text: "see" },
        { type: "image_url", image_url: { url: "u" } },
      ],
    }),
    "see u",
  );
  assert.equal(
    messageText({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c1", name: "search_web", arguments: '{"q":"refund"}' }],
    }),
    'search_web({"q":"refund"})',
  );
  assert.equal(messageText(null), "");
  assert.equal(messageText("not an object"), "");
});

test("an excerpt around the first word found", () => {
  const text = `${"lorem ipsum ".repeat(30)}the refund was issued ${"dolor sit ".repeat(30)}`;
  const s = snippet(text, ["REFUND"], 60);
  assert.ok(s.startsWith("…") && s.endsWith("…"));
  assert.ok(s.includes("refund was issued"));
  assert.equal(snippet("short", ["x"]), "short");
  assert.ok(snippet(text, ["absent"], 60).startsWith("lorem"));
});

test("search words: letters and digits of the positive terms", () => {
  assert.deepEqual(
    searchWords([
      { text: "A-150123 refund", negated: false },
      { text: "spam", negated: true },
    ]),
    ["A", "150123", "refund"],
  );
});
