import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeRunCursor, encodeRunCursor } from "@/lib/runs/cursor";

test("a run cursor round-trips with microsecond precision", () => {
  const c = { startedUs: 1_763_700_000_123_456n, id: "0af7651916cd43dd8448eb211c80319c" };
  assert.deepEqual(decodeRunCursor(encodeRunCursor(c)), c);
});

test("malformed cursors are rejected, not trusted", () => {
  assert.equal(decodeRunCursor("garbage"), null);
  assert.equal(decodeRunCursor(Buffer.from("1:'; drop table runs").toString("base64url")), null);
});
