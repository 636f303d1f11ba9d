import assert from "node:assert/strict";
import { test } from "node:test";
import { compileLooseText, compileSelectorCandidates, estimatedRows, intersectCandidates } from "@/lib/search/candidates";
import { parseQuery } from "@/lib/search/parse";

test("complete candidate lists intersect; a cut one is ignored; none complete means walk", () => {
  assert.deepEqual(
    intersectCandidates(
      [
        ["a", "b", "b", "c"],
        ["b", "c", "d"],
      ],
      10,
    )?.sort(),
    ["b", "c"],
  );
  assert.deepEqual(intersectCandidates([["a", "b"], Array(11).fill("x")], 10), ["a", "b"]);
  assert.equal(intersectCandidates([Array(11).fill("x")], 10), null);
  assert.equal(intersectCandidates([], 10), null);
});

test("the planner's row estimate is read from EXPLAIN (FORMAT JSON)", () => {
  assert.equal(estimatedRows([{ Plan: { "Node Type": "Bitmap Heap Scan", "Plan Rows": 2879 } }]), 2879);
  assert.equal(estimatedRows(null), Infinity);
  assert.equal(estimatedRows([{}]), Infinity);
});

test("one capped lookup per positive tool: or model:, one loose query for the words", () => {
  const q = parseQuery("tool:send_email -tool:x model:gpt-4o* refund");
  const lookups = compileSelectorCandidates(q, "p", 100);
  assert.equal(lookups.length, 2);
  assert.match(lookups[0]!.text, /LIMIT \$\d+\) AS runs$/);
  assert.deepEqual(lookups[1]!.values, ["p", "gpt-4o%", 101]);
  assert.deepEqual(compileLooseText(q)?.values, ["refund"]);
  assert.equal(compileLooseText(parseQuery("-refund")), null);
});
