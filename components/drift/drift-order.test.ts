import assert from "node:assert/strict";
import { test } from "node:test";
import { evidenceSteps, orderDriftPoints, stepLookup } from "@/components/drift/drift-order";

const steps = stepLookup(["a", "b", "c", "d"].map((spanId) => ({ spanId })));
const point = (id: string, spanId: string, detector = "loop") => ({ id, spanId, detector });

test("findings are listed in step order, unknown steps last (oldest first)", () => {
  const ordered = orderDriftPoints(
    [point("1", "d"), point("2", "zz"), point("3", "b", "policy"), point("4", "b", "loop"), point("10", "yy")],
    steps,
  );
  assert.deepEqual(
    ordered.map((o) => [o.point.id, o.step]),
    [
      ["3", 2],
      ["4", 2],
      ["1", 4],
      ["2", null],
      ["10", null],
    ],
  );
  assert.deepEqual(
    orderDriftPoints([point("9", "a"), point("2", "a", "x")], stepLookup(undefined)).map((o) => o.point.id),
    ["2", "9"],
    "without steps: by id",
  );
});

test("evidence span ids become step numbers", () => {
  assert.deepEqual(evidenceSteps(["c", "x", "a"], steps), [
    { spanId: "c", step: 3 },
    { spanId: "a", step: 1 },
  ]);
  assert.deepEqual(evidenceSteps(undefined, steps), []);
});
