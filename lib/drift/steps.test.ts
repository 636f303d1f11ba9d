import assert from "node:assert/strict";
import { test } from "node:test";
import { describe } from "@/lib/drift/stats";
import { capList, normalizeArguments, previewArguments, toolCalls } from "@/lib/drift/steps";
import { RunBuilder } from "@/lib/drift/test-steps";

test("arguments compare by meaning: key order, JSON whitespace and whitespace in values do not count", () => {
  const a = normalizeArguments('{"q":"refund policy","filters":{"lang":"en","site":"help.example"}}');
  const b = normalizeArguments('{ "filters": { "site": "help.example", "lang": "en" },\n  "q": " refund   policy" }');
  assert.equal(a, b);
  assert.notEqual(a, normalizeArguments('{"q":"refund policy","filters":{"lang":"de","site":"help.example"}}'));
  assert.equal(normalizeArguments("  SELECT *\n  FROM orders "), "SELECT * FROM orders");
  assert.equal(normalizeArguments("{not json"), "{not json");
  assert.equal(normalizeArguments(null), "");
  assert.notEqual(normalizeArguments("[1,2]"), normalizeArguments("[2,1]"), "array order is meaning");
});

test("argument previews read like code and stay short", () => {
  assert.equal(previewArguments('{"q":"refund policy","page":2}'), "{q: 'refund policy', page: 2}");
  assert.equal(previewArguments('{"x-key":[1,"a",null]}'), `{"x-key": [1, 'a', null]}`);
  assert.equal(previewArguments(""), "no arguments");
  assert.equal(previewArguments("md5:abc"), "the same long arguments");
  assert.equal(previewArguments(JSON.stringify({ q: "x".repeat(200) })).length, 80);
});

test("tool calls: outcome keys separate results and errors", () => {
  const run = new RunBuilder().tool("a", { x: 1 }, { result: 1 }).tool("a", { x: 1 }, { error: "boom" }).tool("a", { x: 1 });
  assert.deepEqual(
    toolCalls(run.steps).map((c) => [c.failed, c.outcome.slice(0, 3)]),
    [
      [false, "ok:"],
      [true, "err"],
      [false, "ok:"],
    ],
  );
  assert.equal(toolCalls(run.steps)[2]!.outcome, "ok:?", "no recorded result");
});

test("evidence lists keep their first items and the last", () => {
  const list = Array.from({ length: 120 }, (_, i) => i);
  const capped = capList(list);
  assert.equal(capped.length, 50);
  assert.equal(capped[48], 48);
  assert.equal(capped[49], 119);
});

test("baseline statistics", () => {
  assert.deepEqual(describe([2, 4, 4, 4, 5, 5, 7, 9]), { n: 8, mean: 5, std: 2, p50: 4.5, p95: 8.299999999999999 });
  assert.equal(describe([]), null);
  assert.deepEqual(describe([3]), { n: 1, mean: 3, std: 0, p50: 3, p95: 3 });
});
