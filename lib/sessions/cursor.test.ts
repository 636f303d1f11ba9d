import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSessionCursor, encodeSessionCursor } from "@/lib/sessions/cursor";

test("a session cursor round-trips with microsecond precision", () => {
  const c = { lastSeenUs: 1_763_700_000_123_456n, id: "conv-42" };
  assert.deepEqual(decodeSessionCursor(encodeSessionCursor(c)), c);
});

test("a session id with colons, spaces and non-ASCII text survives the cursor", () => {
  const c = { lastSeenUs: 1n, id: "thread:user 7:çava:🙂" };
  assert.deepEqual(decodeSessionCursor(encodeSessionCursor(c)), c);
});

test("malformed session cursors are rejected, not trusted", () => {
  assert.equal(decodeSessionCursor("garbage"), null);
  assert.equal(decodeSessionCursor(""), null);
  assert.equal(decodeSessionCursor(Buffer.from("12:").toString("base64url")), null);
  assert.equal(decodeSessionCursor(Buffer.from("not-a-time:conv").toString("base64url")), null);
  assert.equal(decodeSessionCursor(Buffer.from("99999999999999999999:conv").toString("base64url")), null);
});
