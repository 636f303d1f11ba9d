import assert from "node:assert/strict";
import { test } from "node:test";
import { createCleaner } from "@/lib/ingest/clean";
import { createRedactor } from "@/lib/ingest/redact";

test("values become storable: bigint, bytes, NUL, nested", () => {
  const c = createCleaner((t) => t, 1000);
  assert.deepEqual(c.value({ a: 2n ** 70n, b: new Uint8Array([1, 2]), c: "x\u0000y", d: [NaN] }, "attrs"), {
    a: "1180591620717411303424",
    b: "AQI=",
    c: "xy",
    d: ["NaN"],
  });
});

test("long values are capped at the byte limit and the cut is recorded", () => {
  const c = createCleaner((t) => t, 10);
  assert.equal(c.text("ééééééééé", "input"), "ééééé…[truncated]", "cut on a character boundary");
  assert.deepEqual(c.truncated, [{ path: "input", bytes: 18 }]);
});

test("redaction runs inside nested values", () => {
  const c = createCleaner(createRedactor(["emails"]), 1000);
  assert.deepEqual(c.value({ msg: ["contact bob@example.com"] }, "a"), { msg: ["contact [REDACTED:email]"] });
});
