import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applySuggestion,
  keySuggestions,
  quoteValue,
  staticValues,
  suggestContext,
  valueSuggestions,
} from "@/lib/search/suggest";

test("at a new term, keys are suggested", () => {
  assert.deepEqual(suggestContext(""), { kind: "key", prefix: "", from: 0, to: 0 });
  assert.deepEqual(suggestContext("drift:loop sev"), { kind: "key", prefix: "sev", from: 11, to: 14 });
  assert.deepEqual(suggestContext("-ag"), { kind: "key", prefix: "ag", from: 1, to: 3 }, "after a negation");
  assert.deepEqual(
    keySuggestions("sev").map((s) => s.insert),
    ["severity:"],
  );
  assert.equal(keySuggestions("").length, 11);
});

test("after a key, its values: the item of a list, inside quotes, with the caret mid-query", () => {
  assert.deepEqual(suggestContext("drift:lo"), { kind: "value", key: "drift", prefix: "lo", from: 6, to: 8 });
  assert.deepEqual(suggestContext("status:error,ki"), { kind: "value", key: "status", prefix: "ki", from: 13, to: 15 });
  assert.deepEqual(suggestContext('agent:"support b'), { kind: "value", key: "agent", prefix: "support b", from: 6, to: 16 });
  assert.deepEqual(suggestContext("severity>=h drift:loop", 11), {
    kind: "value",
    key: "severity",
    prefix: "h",
    from: 10,
    to: 11,
  });
  assert.deepEqual(
    suggestContext("tool:se refund", 6),
    { kind: "value", key: "tool", prefix: "s", from: 5, to: 7 },
    "replaces the whole value",
  );
  assert.deepEqual(suggestContext("sev:high", 2), { kind: "key", prefix: "se", from: 0, to: 4 }, "editing a key keeps its value");
});

test("no suggestions inside a phrase or after an unknown key", () => {
  assert.equal(suggestContext('"refund po'), null);
  assert.equal(suggestContext("colour:re"), null);
  assert.equal(suggestContext('refund "late', 12), null);
});

test("values starting with what was typed come first, then those containing it; quoted when needed", () => {
  assert.deepEqual(
    valueSuggestions("se", ["send_email", "search_web", "close_session", "lookup"]).map((s) => s.insert),
    ["send_email", "search_web", "close_session"],
  );
  assert.equal(quoteValue("support bot"), '"support bot"');
  assert.equal(quoteValue('say "hi"'), '"say \\"hi\\""');
  assert.equal(quoteValue("a,b"), '"a,b"');
  assert.deepEqual(staticValues("severity", new Date()), ["low", "medium", "high", "critical"]);
  assert.deepEqual(staticValues("after", new Date("2026-11-21T10:00:00Z"))?.at(-1), "2026-11-21");
  assert.equal(staticValues("agent", new Date()), null, "from the database");
});

test("accepting a suggestion: a key waits for its value, a value moves on", () => {
  assert.deepEqual(applySuggestion("drift:loop sev", { kind: "key", insert: "severity:" }, 11, 14), {
    value: "drift:loop severity:",
    caret: 20,
  });
  assert.deepEqual(applySuggestion("status:er refund", { kind: "value", insert: "error" }, 7, 9), {
    value: "status:error refund",
    caret: 13,
  });
  assert.deepEqual(applySuggestion("agent:sup", { kind: "value", insert: '"support bot"' }, 6, 9), {
    value: 'agent:"support bot" ',
    caret: 20,
  });
});
