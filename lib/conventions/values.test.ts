import assert from "node:assert/strict";
import { test } from "node:test";
import { count, indexed, normalizeFinishReason, structured, str } from "@/lib/conventions/values";

test("values are read liberally: numbers as strings, JSON as text or structure", () => {
  const a = { n: "42", bad: "4x", big: 5n, j: '{"a":1}', s: "plain", arr: [1, 2], neg: -1 };
  assert.equal(count(a, "n"), 42);
  assert.equal(count(a, "bad"), undefined);
  assert.equal(count(a, "big"), 5);
  assert.equal(count(a, "neg"), undefined);
  assert.deepEqual(structured(a, "j"), { a: 1 });
  assert.equal(structured(a, "s"), "plain");
  assert.equal(str(a, "arr"), "[1,2]");
});

test("indexed attributes are grouped by index in order", () => {
  const rows = indexed({ "p.1.role": "user", "p.0.role": "system", "p.0.content": "hi", "p.x.role": "?" }, "p");
  assert.deepEqual([...rows.keys()], [0, 1]);
  assert.deepEqual(rows.get(0), { role: "system", content: "hi" });
});

test("finish reasons have one spelling", () => {
  assert.deepEqual(["tool-calls", "tool_call", "TOOL_CALLS", "stop"].map(normalizeFinishReason), [
    "tool_calls",
    "tool_calls",
    "tool_calls",
    "stop",
  ]);
});
