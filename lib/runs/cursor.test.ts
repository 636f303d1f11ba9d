import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeRunCursor, encodeRunCursor, type RunCursor } from "@/lib/runs/cursor";

const ID = "0af7651916cd43dd8448eb211c80319c";
const raw = (s: string) => Buffer.from(s).toString("base64url");

test("a run cursor round-trips its order, value, start time and id with microsecond precision", () => {
  const cursors: RunCursor[] = [
    { sort: "started", order: "desc", value: 1_763_700_000_123_456n, startedUs: 1_763_700_000_123_456n, id: ID },
    { sort: "duration", order: "asc", value: null, startedUs: 1_763_700_000_000_001n, id: ID },
    { sort: "tokens", order: "asc", value: 0n, startedUs: -5n, id: ID },
    { sort: "errors", order: "desc", value: 12n, startedUs: 1n, id: ID },
  ];
  for (const c of cursors) assert.deepEqual(decodeRunCursor(encodeRunCursor(c)), c);
});

test("malformed cursors are rejected, not trusted", () => {
  for (const bad of [
    "garbage",
    raw("1:'; drop table runs"),
    raw(`1763700000123456:${ID}`), // the pre-sort format: its order is unknown
    raw(`bogus.desc.1.1.${ID}`),
    raw(`tokens.up.1.1.${ID}`),
    raw(`tokens.desc.1e3.1.${ID}`),
    raw(`tokens.desc.99999999999999999999.1.${ID}`), // past bigint
    raw(`tokens.desc.1.null.${ID}`), // every run has a start time
    raw(`tokens.desc.1.1.${ID.toUpperCase()}`),
    raw(`tokens.desc.1.1.${ID} `),
  ])
    assert.equal(decodeRunCursor(bad), null, bad);
});
