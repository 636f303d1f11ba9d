import assert from "node:assert/strict";
import { test } from "node:test";
import { SearchSyntaxError } from "@/lib/search/errors";
import { parseQuery } from "@/lib/search/parse";

const error = (q: string) => {
  try {
    parseQuery(q);
  } catch (e) {
    assert.ok(e instanceof SearchSyntaxError, String(e));
    return { message: e.message, span: e.span };
  }
  assert.fail(`expected an error for ${q}`);
};
const values = (q: string) =>
  parseQuery(q).filters.map((f) => [f.negated ? `-${f.key}` : f.key, f.values.map((v) => (v.prefix ? `${v.value}*` : v.value))]);

test("the example query of the issue", () => {
  const q = parseQuery(
    `drift:loop severity>=high agent:support-bot tool:send_email model:gpt-4o status:error after:2026-11-01 "refund"`,
  );
  assert.deepEqual(
    q.filters.map((f) => [f.key, f.values.map((v) => v.value)]),
    [
      ["drift", ["loop"]],
      ["severity", ["high", "critical"]],
      ["agent", ["support-bot"]],
      ["tool", ["send_email"]],
      ["model", ["gpt-4o"]],
      ["status", ["error"]],
    ],
  );
  assert.deepEqual(q.after, { kind: "date", iso: "2026-11-01T00:00:00.000Z" });
  assert.deepEqual(q.text, [{ kind: "phrase", text: "refund", negated: false, span: { start: 103, end: 111 } }]);
});

test("severity comparisons expand to the severities they admit", () => {
  assert.deepEqual(values("severity>medium"), [["severity", ["high", "critical"]]]);
  assert.deepEqual(values("severity<=medium"), [["severity", ["low", "medium"]]]);
  assert.deepEqual(values("severity<medium"), [["severity", ["low"]]]);
  assert.deepEqual(values("severity=HIGH"), [["severity", ["high"]]]);
  assert.deepEqual(values("severity:low,critical"), [["severity", ["low", "critical"]]]);
  assert.deepEqual(values("-severity>=high"), [["-severity", ["high", "critical"]]]);
  assert.match(error("severity<low").message, /^No severity is < "low" at 0–12/);
});

test("lists, prefixes, negation, case and run ids", () => {
  assert.deepEqual(values("status:error,killed -agent:support-* tool:send_* model:GPT-4o run:4BF92F35 has:error"), [
    ["status", ["error", "killed"]],
    ["-agent", ["support-*"]],
    ["tool", ["send_*"]],
    ["model", ["GPT-4o"]],
    ["run", ["4bf92f35"]],
    ["has", ["error"]],
  ]);
  assert.deepEqual(values(`agent:"support bot, eu"`), [["agent", ["support bot, eu"]]], "a quoted value keeps its commas");
  assert.deepEqual(
    parseQuery("refund refu* -invoice").text.map((t) => [t.kind, t.text, t.negated]),
    [
      ["words", "refund", false],
      ["prefix", "refu", false],
      ["words", "invoice", true],
    ],
  );
});

test("dates and ages for after: and before:", () => {
  const q = parseQuery("after:24h before:2026-11-21T14:30+02:00");
  assert.deepEqual(q.after, { kind: "age", ms: 86_400_000, text: "24h" });
  assert.deepEqual(q.before, { kind: "date", iso: "2026-11-21T12:30:00.000Z" });
});

test("an unknown key names itself, where it is, and what was meant", () => {
  assert.deepEqual(error("drift:loop  sevrity>=high"), {
    message: `Unknown key "sevrity" at 12–19; did you mean "severity"? To search for text with ">=" in it, put it in quotes.`,
    span: { start: 12, end: 19 },
  });
  assert.match(
    error("http://example.com").message,
    /^Unknown key "http" at 0–4; keys are drift, severity, .* put it in quotes\.$/,
  );
});

test("bad values point at the value, with the accepted ones", () => {
  assert.deepEqual(error("drift:lop"), {
    message: `Unknown drift detector "lop" at 6–9; did you mean "loop"? it is one of loop, error_cascade, policy, new_egress, budget, trajectory`,
    span: { start: 6, end: 9 },
  });
  assert.deepEqual(error("status:error,kiled").span, { start: 13, end: 18 }, "the bad item of a list");
  assert.deepEqual(error("status:error,").span, { start: 13, end: 13 });
  assert.match(error("severity:hgh").message, /did you mean "high"/);
  assert.match(error("run:xyz").message, /^A run id is up to 32 hexadecimal characters/);
  assert.match(error("after:yesterday").message, /^Not a date or an age: "yesterday" at 6–15/);
  assert.match(error("after:2026-02-30").message, /^Not a date or an age/);
  assert.match(error("after:7d after:2d").message, /^"after" is given twice \(again at 9–17\)/);
  assert.match(error("-after:7d").message, /cannot be negated/);
  assert.match(error("agent>=x").message, /^"agent" takes ":", not ">=" at 5–7/);
  assert.match(error("status:err*").message, /does not match by prefix/);
  assert.match(error("agent:*").message, /first characters before the \*/);
  assert.match(error("has:drifts").message, /did you mean "drift"/);
});

test("text with nothing to search for is refused rather than matching everything or nothing", () => {
  assert.deepEqual(error("refund --").span, { start: 7, end: 9 });
  assert.match(error(`";;"`).message, /^Nothing to search for in the phrase at 0–4/);
  assert.match(error("ref-und*").message, /prefix search takes letters and digits/);
  assert.deepEqual(parseQuery("über straße 東京").text.length, 3, "letters of any script are searchable");
});

test("injection attempts are refused or become plain values", () => {
  assert.match(error("'; DROP TABLE runs; --").message, /^Nothing to search for in "';" at 0–2/);
  const q = parseQuery(`"'; DROP TABLE runs; --" agent:"x' OR '1'='1" session:"a\\"b"`);
  assert.equal(q.text[0]!.text, "'; DROP TABLE runs; --");
  assert.deepEqual(
    q.filters.map((f) => f.values[0]!.value),
    ["x' OR '1'='1", `a"b`],
  );
});
