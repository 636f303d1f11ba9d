import assert from "node:assert/strict";
import { test } from "node:test";
import { runListQuery } from "@/lib/api/schemas";
import { nextRunSort, runSortParams } from "@/lib/runs/sort";

test("the list query defaults to newest first and takes each sort in either direction", () => {
  assert.deepEqual(pickSort(runListQuery.parse({})), { sort: "started", order: "desc" });
  assert.deepEqual(pickSort(runListQuery.parse({ sort: "tokens" })), { sort: "tokens", order: "desc" });
  for (const sort of ["started", "activity", "duration", "steps", "tokens", "errors", "drift"])
    for (const order of ["asc", "desc"]) assert.deepEqual(pickSort(runListQuery.parse({ sort, order })), { sort, order });
  assert.equal(runListQuery.safeParse({ sort: "name" }).success, false);
  assert.equal(runListQuery.safeParse({ sort: "tokens", order: "up" }).success, false);
});

test("a header click flips the sorted column and starts another column largest first", () => {
  assert.deepEqual(nextRunSort({ sort: "started", order: "desc" }, "tokens"), { sort: "tokens", order: "desc" });
  assert.deepEqual(nextRunSort({ sort: "tokens", order: "desc" }, "tokens"), { sort: "tokens", order: "asc" });
  assert.deepEqual(nextRunSort({ sort: "tokens", order: "asc" }, "tokens"), { sort: "tokens", order: "desc" });
  assert.deepEqual(nextRunSort({ sort: "tokens", order: "asc" }, "duration"), { sort: "duration", order: "desc" });
});

test("the URL names an order only when it is not the default", () => {
  assert.deepEqual(runSortParams({ sort: "started", order: "desc" }), {});
  assert.deepEqual(runSortParams({ sort: "started", order: "asc" }), { sort: "started", order: "asc" });
  assert.deepEqual(runSortParams({ sort: "drift", order: "desc" }), { sort: "drift", order: "desc" });
});

function pickSort(q: { sort: string; order: string }) {
  return { sort: q.sort, order: q.order };
}
