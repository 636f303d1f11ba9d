import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileSearch, searchMode, type CompileOptions } from "@/lib/search/compile";
import { SearchSyntaxError } from "@/lib/search/errors";
import { parseQuery } from "@/lib/search/parse";

const opts: CompileOptions = {
  projectId: "00000000-0000-0000-0000-000000000001",
  now: new Date("2026-11-21T12:00:00Z"),
  limit: 50,
  cursor: null,
};
const compile = (q: string, o: Partial<CompileOptions> = {}) => compileSearch(parseQuery(q), { ...opts, ...o });

test("drift points unless the query names steps and no drift key", () => {
  const mode = (q: string) => searchMode(parseQuery(q));
  assert.equal(mode(""), "drift");
  assert.equal(mode("agent:support-bot status:error"), "drift");
  assert.equal(mode("drift:loop tool:send_email"), "drift");
  assert.equal(mode('has:drift "refund"'), "drift");
  assert.equal(mode("severity>=high refund"), "drift");
  assert.equal(mode("tool:send_email"), "steps");
  assert.equal(mode("model:gpt-4o -drift:loop"), "steps");
  assert.equal(mode('"refund" agent:support-bot'), "steps");
  assert.equal(mode("-tool:send_email -refund"), "drift", "negations alone name no step");
});

test("every key becomes a condition with its values as parameters", () => {
  const { text, values } = compile(
    `drift:loop,policy severity>=high agent:support-* tool:send_email -model:gpt-4o status:error session:conv-1 run:4bf9 after:7d before:2026-11-20 "refund policy" has:error`,
  );
  for (const fragment of [
    /d\.detector = ANY\(\$\d+::text\[\]\)/,
    /d\.severity = ANY\(\$\d+::"DriftSeverity"\[\]\)/,
    /ag\.service_name LIKE \$\d+/,
    /s\.tool_name COLLATE "C" = \$\d+/,
    /NOT EXISTS \(SELECT 1 FROM steps s WHERE s\.project_id = r\.project_id AND s\.run_id = r\.id AND s\.model COLLATE "C" = \$\d+\)/,
    /r\.status = ANY\(\$\d+::"RunStatus"\[\]\)/,
    /r\.session_id = ANY\(\$\d+::text\[\]\)/,
    /\(r\.id >= \$\d+::char\(32\) AND r\.id <= \$\d+::char\(32\)\)/,
    /r\.error_count > 0/,
    /phraseto_tsquery\('simple', \$\d+\)/,
    /d\.created_at >= \$\d+::timestamptz/,
    /d\.created_at < \$\d+::timestamptz/,
    /ORDER BY d\.created_at DESC, d\.id DESC/,
  ])
    assert.match(text, fragment);
  assert.ok(values.includes("support-%"), "a prefix is a LIKE pattern parameter");
  assert.ok(values.some((v) => JSON.stringify(v) === '["loop","policy"]'));
  assert.ok(values.some((v) => JSON.stringify(v) === '["high","critical"]'));
  assert.ok(values.includes("4bf90000000000000000000000000000") && values.includes("4bf9ffffffffffffffffffffffffffff"));
  assert.ok(
    values.some((v) => v instanceof Date && v.toISOString() === "2026-11-14T12:00:00.000Z"),
    "after:7d from now",
  );
  assert.equal(values.at(-1), 51, "one more than the page, to know there is a next one");
});

test("steps mode: runs newest first at their first matching step", () => {
  const { text, mode } = compile("tool:send_email after:24h");
  assert.equal(mode, "steps");
  assert.match(text, /FROM runs r/);
  assert.match(text, /ORDER BY r\.started_at DESC, r\.id DESC/);
  assert.match(text, /r\.started_at >= \$\d+::timestamptz/);
  assert.doesNotMatch(
    text,
    /EXISTS \(SELECT 1 FROM steps s WHERE s\.project_id = r\.project_id AND s\.run_id = r\.id AND s\.tool_name/,
    "a lone selector is the moment's own check",
  );
  assert.doesNotMatch(text, /WITH hits/);
  const words = compile("refund tool:send_email", { textPlan: "hits", looseText: "'refund'" });
  assert.match(words.text, /^WITH hits AS MATERIALIZED/);
  assert.match(words.text, /IN \(SELECT hash FROM hits\)\) IS TRUE/);
  assert.match(compile("refund", { textPlan: "scan" }).text, /SELECT DISTINCT h FROM steps s/);
});

test("cursors and candidate runs narrow the walk", () => {
  const drift = compile("drift:loop", { cursor: { mode: "drift", createdMs: 1_763_700_000_123n, id: 42n } });
  assert.match(
    drift.text,
    /\(d\.created_at, d\.id\) < \(timestamptz 'epoch' \+ \$\d+::bigint \* interval '1 millisecond', \$\d+::bigint\)/,
  );
  const steps = compile("tool:x", {
    cursor: { mode: "steps", startedUs: 1n, runId: "0af7651916cd43dd8448eb211c80319c" },
    candidateRuns: ["0af7651916cd43dd8448eb211c80319c"],
  });
  assert.match(steps.text, /r\.id = ANY\(\$\d+::char\(32\)\[\]\)/);
  assert.throws(() => compile("tool:x", { cursor: { mode: "drift", createdMs: 1n, id: 1n } }), /another shape/);
});

/** Values drawn to look like attacks: quotes, comments, semicolons, backslashes, unicode. */
const nasty = fc.oneof(
  fc.constantFrom("'; DROP TABLE runs; --", "x' OR '1'='1", "$1", "\\", "%_", "); DELETE FROM steps; (", "😀 ∑ \u202e", 'a\\"b'),
  fc.string({ minLength: 1, maxLength: 30, unit: "grapheme" }),
);

test("the SQL text depends only on the query's shape, never on the values typed", () => {
  // Quoted values (quotes and backslashes dropped, the tokenizer's escapes are tested elsewhere) and one prefix word.
  const shape = (v: string[]) =>
    `agent:"${v[0]}" tool:"${v[1]}" session:"${v[2]}" -model:"${v[3]}" "${v[4]} a" -"${v[5]} b" ${v[6]}*`;
  const clean = (s: string) => s.replace(/["\\*\u0000-\u001f\u007f]/g, "");
  fc.assert(
    fc.property(fc.array(nasty, { minLength: 7, maxLength: 7 }), (raw) => {
      const v = raw.map(clean);
      v[6] = v[6]!.replace(/[^\p{L}\p{N}]/gu, "") || "q";
      let query;
      try {
        query = parseQuery(shape(v));
      } catch (e) {
        assert.ok(e instanceof SearchSyntaxError);
        return;
      }
      const compiled = compileSearch(query, opts);
      assert.equal(compiled.text, compileSearch(parseQuery(shape(v.map(() => "zz"))), opts).text);
      for (const value of v.filter((x) => x.length > 8)) assert.ok(!compiled.text.includes(value), value);
    }),
    { numRuns: 300 },
  );
});
