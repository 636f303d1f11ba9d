import assert from "node:assert/strict";
import { test } from "node:test";
import { formatBytes, truncationLabel } from "@/lib/context/summary";
import { messageText, systemPromptOf } from "@/lib/context/text";
import { decision, msg, system, user } from "@/lib/context/test-messages";

test("byte sizes", () => {
  assert.deepEqual([0, 812, 3400, 64_000, 1_200_000, 25_000_000, 3e9].map(formatBytes), [
    "0 B",
    "812 B",
    "3.4 KB",
    "64 KB",
    "1.2 MB",
    "25 MB",
    "3.0 GB",
  ]);
  assert.equal(formatBytes(-3400), "-3.4 KB");
  assert.equal(truncationLabel(1_200_000, 64_000), "truncated: 1.2 MB → 64 KB");
});

test("message text: content, text parts, other parts as JSON, tool calls", () => {
  assert.equal(messageText(user("hi")), "hi");
  assert.equal(messageText(decision("c", "get_weather", { city: "Paris" })), '→ get_weather({"city":"Paris"})');
  const parts = msg("user", [
    { type: "text", text: "look" },
    { type: "image", url: "u" },
  ]);
  assert.equal(messageText(parts), 'look\n{"type":"image","url":"u"}');
  assert.equal(systemPromptOf([system("a"), user("x"), msg("developer", "b")]), "a\n\nb");
});
