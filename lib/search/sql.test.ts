import assert from "node:assert/strict";
import { test } from "node:test";
import { join, raw, sql, toQuery } from "@/lib/search/sql";

test("values become numbered parameters, fragments are spliced in order", () => {
  const inner = sql`b = ${2} AND c = ${"x"}`;
  const q = toQuery(sql`SELECT 1 WHERE a = ${1} AND ${inner} AND ${join([sql`d = ${[4]}`, raw("e IS NULL")], " OR ")}`);
  assert.equal(q.text, "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 AND d = $4 OR e IS NULL");
  assert.deepEqual(q.values, [1, 2, "x", [4]]);
});

test("a value never becomes SQL text, whatever it contains", () => {
  const evil = "'; DROP TABLE runs; --";
  const q = toQuery(sql`SELECT * FROM runs WHERE name = ${evil}`);
  assert.equal(q.text, "SELECT * FROM runs WHERE name = $1");
  assert.deepEqual(q.values, [evil]);
});

test("joining nothing is empty", () => {
  assert.deepEqual(toQuery(join([], " AND ")), { text: "", values: [] });
});
