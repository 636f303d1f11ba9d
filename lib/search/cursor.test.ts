import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSearchCursor, encodeSearchCursor, type SearchCursor } from "@/lib/search/cursor";

test("cursors of both shapes round-trip", () => {
  const drift: SearchCursor = { mode: "drift", createdMs: 1_763_700_000_123n, id: 987_654n };
  const steps: SearchCursor = { mode: "steps", startedUs: 1_763_700_000_123_456n, runId: "0af7651916cd43dd8448eb211c80319c" };
  assert.deepEqual(decodeSearchCursor(encodeSearchCursor(drift)), drift);
  assert.deepEqual(decodeSearchCursor(encodeSearchCursor(steps)), steps);
});

test("anything else is refused", () => {
  for (const s of [
    "",
    "garbage!",
    Buffer.from("d:1:'; drop").toString("base64url"),
    Buffer.from("r:1:XYZ").toString("base64url"),
    "a".repeat(500),
  ])
    assert.equal(decodeSearchCursor(s), null, s);
});
