import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRunRef, parseRunsChanged } from "@/lib/live/channels";

test("run-changed payloads round-trip and malformed ones yield nothing", () => {
  const refs = [
    { projectId: "0b6f8c1e-1111-4c3a-9d7e-000000000001", runId: "a".repeat(32) },
    { projectId: "0b6f8c1e-1111-4c3a-9d7e-000000000002", runId: "b".repeat(32) },
  ];
  assert.deepEqual(parseRunsChanged(JSON.stringify(refs.map(formatRunRef))), refs);
  assert.deepEqual(parseRunsChanged("not json"), []);
  assert.deepEqual(parseRunsChanged('{"a":1}'), []);
  assert.deepEqual(parseRunsChanged('[1, "no-slash", "/x"]'), []);
});
