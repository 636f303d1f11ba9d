import assert from "node:assert/strict";
import { test } from "node:test";
import { diffContext } from "@/lib/context/diff";
import { contextRows, toolCallLinks } from "@/lib/context/rows";
import { conversation, decision, system, toolResult, user } from "@/lib/context/test-messages";

test("full context: every message in order, removed ones where they were", () => {
  const prev = [system("s"), user("old question"), user("q")];
  const next = [system("s"), user("q"), decision("c1", "search", {}), toolResult("c1", "found")];
  const rows = contextRows(next, diffContext(prev, next), false);
  assert.deepEqual(
    rows.map((r) => (r.type === "message" ? `${r.label}:${r.change}` : `gap ${r.count}`)),
    [
      "message 1 system:unchanged",
      "previous message 2 user:removed",
      "message 2 user:unchanged",
      "message 3 assistant:added",
      "message 4 tool:added",
    ],
  );
});

test("only changes: unchanged runs fold into gaps", () => {
  const prev = conversation(10);
  const next = conversation(11);
  const rows = contextRows(next, diffContext(prev, next), true);
  assert.deepEqual(
    rows.map((r) => (r.type === "message" ? r.label : `gap ${r.count}`)),
    ["gap 41", "message 42 user", "message 43 assistant", "message 44 tool", "message 45 assistant"],
  );
});

test("the first call has nothing to compare with: no marks, nothing folded", () => {
  const next = [system("s"), user("q")];
  const rows = contextRows(next, diffContext(null, next), true);
  assert.deepEqual(
    rows.map((r) => r.type === "message" && [r.label, r.change]),
    [
      ["message 1 system", undefined],
      ["message 2 user", undefined],
    ],
  );
  assert.equal(contextRows(next, null, true).length, 2);
});

test("tool calls and results are linked by call id", () => {
  const links = toolCallLinks(conversation(2));
  assert.deepEqual(
    [...links.callAt],
    [
      ["call_0", { index: 2, name: "lookup_order" }],
      ["call_1", { index: 6, name: "lookup_order" }],
    ],
  );
  assert.deepEqual(
    [...links.resultAt],
    [
      ["call_0", 3],
      ["call_1", 7],
    ],
  );
});
