import assert from "node:assert/strict";
import { test } from "node:test";
import { SearchSyntaxError } from "@/lib/search/errors";
import { MAX_QUERY_LENGTH, MAX_TERMS, tokenize } from "@/lib/search/tokenize";

const error = (q: string) => {
  try {
    tokenize(q);
  } catch (e) {
    assert.ok(e instanceof SearchSyntaxError);
    return { message: e.message, span: e.span };
  }
  assert.fail(`expected an error for ${q}`);
};

test("keys, operators, words and phrases, each with its position", () => {
  const q = `drift:loop  severity>=high -agent:"support bot" refund "late fee" -"x y"`;
  const at = (token: string) => ({ start: q.indexOf(token), end: q.indexOf(token) + token.length });
  const terms = tokenize(q);
  assert.deepEqual(
    terms.map((t) => (t.type === "field" ? [t.negated, t.key, t.op, t.value, t.span] : [t.negated, t.quoted, t.text, t.span])),
    [
      [false, "drift", ":", "loop", at("drift:loop")],
      [false, "severity", ">=", "high", at("severity>=high")],
      [true, "agent", ":", "support bot", at(`-agent:"support bot"`)],
      [false, false, "refund", at("refund")],
      [false, true, "late fee", at(`"late fee"`)],
      [true, true, "x y", at(`-"x y"`)],
    ],
  );
  const field = terms[2]!;
  assert.equal(field.type, "field");
  if (field.type === "field") {
    assert.deepEqual(field.keySpan, at("agent"));
    assert.deepEqual(field.valueSpan, at(`"support bot"`));
  }
});

test("escapes inside quotes, and a dash negates only before a word", () => {
  const [phrase, dashes, percent, word] = tokenize(String.raw`"say \"hi\" \\ now" -- -5% -x`);
  assert.deepEqual(phrase, {
    type: "text",
    negated: false,
    quoted: true,
    text: String.raw`say "hi" \ now`,
    span: { start: 0, end: 19 },
  });
  assert.equal(dashes?.type === "text" && dashes.text, "--");
  assert.equal(percent?.type === "text" && percent.negated, true, "-5 starts with a digit: negated 5%");
  assert.equal(word?.type === "text" && word.negated && word.text, "x");
});

test("white space of any kind separates terms; an empty query has none", () => {
  assert.deepEqual(tokenize("  \t\n "), []);
  assert.equal(tokenize("a\u00a0b\u3000c").length, 3);
});

test("errors name the problem and point at it", () => {
  assert.deepEqual(error(`refund "late fee`), {
    message: `Unclosed quote at 7–16: add a closing " to ""late fee"`,
    span: { start: 7, end: 16 },
  });
  assert.deepEqual(error(`"a"b`).span, { start: 2, end: 4 });
  assert.match(error(`"a"b`).message, /Put a space after the closing quote of ""a"" at 2–4/);
  assert.deepEqual(error(`status: error`), { message: `"status:" at 0–7 needs a value`, span: { start: 0, end: 7 } });
  assert.deepEqual(error(`abc"def`).span, { start: 3, end: 4 });
  assert.deepEqual(error(`ok\u0000bad`), {
    message: "Control character U+0000 at 2–3 is not allowed",
    span: { start: 2, end: 3 },
  });
  assert.deepEqual(error("x".repeat(MAX_QUERY_LENGTH + 5)).span, { start: MAX_QUERY_LENGTH, end: MAX_QUERY_LENGTH + 5 });
  const many = Array.from({ length: MAX_TERMS + 3 }, (_, i) => `w${i}`).join(" ");
  assert.match(error(many).message, /^Too many terms: at most 40 \(the rest is at \d+–\d+\)$/);
});

test("deeply nested and unbalanced quotes end in a clean error or a phrase, never a crash", () => {
  for (const q of [`""""""`, `"\\"\\"\\"\\"`, `"${'\\"'.repeat(200)}"`, `${'"'.repeat(999)}`, `\\"`, `"\\`]) {
    try {
      const terms = tokenize(q);
      assert.ok(Array.isArray(terms));
    } catch (e) {
      assert.ok(e instanceof SearchSyntaxError, `${q}: ${String(e)}`);
      assert.ok(e.span.start >= 0 && e.span.end <= q.length && e.span.start < e.span.end);
    }
  }
});
