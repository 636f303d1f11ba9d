import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAgentNames, sessionRunsHref, truncateMiddle } from "@/lib/sessions/format";

test("agent names list what the row carries and count the rest", () => {
  assert.equal(formatAgentNames([], 0), "");
  assert.equal(formatAgentNames(["support-bot"], 1), "support-bot");
  assert.equal(formatAgentNames(["a", "b", "c"], 3), "a, b, c");
  assert.equal(formatAgentNames(["a", "b", "c"], 7), "a, b, c +4");
});

test("the session link encodes any session id so it reaches the run list intact", () => {
  assert.equal(sessionRunsHref("conv-1"), "/runs?session=conv-1");
  const odd = "thread #4 & co/ü?x=1";
  const href = sessionRunsHref(odd);
  assert.equal(new URL(href, "http://x").searchParams.get("session"), odd);
  assert.doesNotMatch(href.slice("/runs?session=".length), /[#&/?\s]/);
});

test("a long session id keeps both ends and the given length; a short one is left whole", () => {
  assert.equal(truncateMiddle("conv-1", 12), "conv-1");
  assert.equal(truncateMiddle("support-chat-8bc56d3c", 21), "support-chat-8bc56d3c");
  assert.equal(truncateMiddle("support-chat-8bc56d3c", 15), "support…bc56d3c");
  assert.equal([...truncateMiddle("thread_01JD3XQ8Z4H2M9K7V5N1P6R0TB:user-4821", 20)].length, 20);
  // Characters outside the BMP count once and are never split.
  assert.equal(truncateMiddle("🙂🙂🙂🙂🙂🙂", 5), "🙂🙂…🙂🙂");
});
