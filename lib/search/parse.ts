import { SEVERITIES, type Severity } from "@/lib/drift/types";
import { didYouMean } from "@/lib/search/did-you-mean";
import { fail, quoted, type Span } from "@/lib/search/errors";
import { KEY_NAMES, keySpec, type KeyName, type KeySpec } from "@/lib/search/keys";
import { parseTimeBound, type TimeBound } from "@/lib/search/time";
import { tokenize, type Op, type Term } from "@/lib/search/tokenize";

/**
 * The query as a syntax tree: every value checked, every token's position kept. Keys combine with
 * AND; the alternatives of one key (status:error,killed) with OR. Severity comparisons are expanded
 * to the severities they admit, so the compiler only ever sees lists.
 */
export type ValueItem = { value: string; prefix: boolean; span: Span };
export type FilterKey = Exclude<KeyName, "after" | "before">;
export type Filter = { key: FilterKey; negated: boolean; values: ValueItem[]; span: Span };
export type TextTerm = { kind: "words" | "phrase" | "prefix"; text: string; negated: boolean; span: Span };
export type SearchQuery = { filters: Filter[]; text: TextTerm[]; after: TimeBound | null; before: TimeBound | null };

const MAX_VALUE_LENGTH = 200;
const SEARCHABLE = /[\p{L}\p{N}]/u;

export function parseQuery(input: string): SearchQuery {
  const query: SearchQuery = { filters: [], text: [], after: null, before: null };
  for (const term of tokenize(input)) {
    if (term.type === "text") query.text.push(textTerm(term));
    else if (term.key.toLowerCase() === "after" || term.key.toLowerCase() === "before") timeTerm(query, term);
    else query.filters.push(filter(term));
  }
  return query;
}

type FieldTerm = Extract<Term, { type: "field" }>;

function spec(term: FieldTerm): KeySpec {
  const found = keySpec(term.key.toLowerCase());
  if (found) return found;
  const guess = didYouMean(term.key, KEY_NAMES);
  fail(
    (where) =>
      `Unknown key ${quoted(term.key)} ${where}; ${guess ? `did you mean "${guess}"?` : `keys are ${KEY_NAMES.join(", ")}.`}` +
      ` To search for text with "${term.op}" in it, put it in quotes.`,
    term.keySpan,
  );
}

function checkOp(term: FieldTerm, s: KeySpec): void {
  if (term.op === ":" || term.op === "=" || s.comparisons) return;
  fail((where) => `"${s.name}" takes ":", not "${term.op}" ${where}`, { start: term.keySpan.end, end: term.valueSpan.start });
}

function filter(term: FieldTerm): Filter {
  const s = spec(term);
  checkOp(term, s);
  if (term.negated && !s.negatable) fail((where) => `"${s.name}" cannot be negated ${where}`, term.span);
  const comparison = term.op !== ":" && term.op !== "=";
  const items = splitValues(term, s.list === true && !comparison);
  const values = items.map((item) => checkValue(s, item));
  if (s.name === "severity") {
    const severities = comparison ? compareSeverity(term.op, values[0]!.value as Severity) : values.map((v) => v.value);
    if (severities.length === 0)
      fail((where) => `No severity is ${term.op} "${values[0]!.value}" ${where}`, {
        start: term.keySpan.start,
        end: term.span.end,
      });
    return {
      key: "severity",
      negated: term.negated,
      values: severities.map((value) => ({ value, prefix: false, span: term.valueSpan })),
      span: term.span,
    };
  }
  return { key: s.name as FilterKey, negated: term.negated, values, span: term.span };
}

/** status:error,killed → two items with their own positions; a quoted value is one item, commas and all. */
function splitValues(term: FieldTerm, list: boolean): ValueItem[] {
  if (term.quoted || !list) return [{ value: term.value, prefix: false, span: term.valueSpan }];
  const items: ValueItem[] = [];
  let start = term.valueSpan.start;
  for (const part of term.value.split(",")) {
    items.push({ value: part, prefix: false, span: { start, end: start + part.length } });
    start += part.length + 1;
  }
  return items;
}

function checkValue(s: KeySpec, item: ValueItem): ValueItem {
  let value = item.value;
  if (value === "") fail((where) => `Empty value for "${s.name}" ${where}`, item.span);
  if (value.length > MAX_VALUE_LENGTH)
    fail((where) => `The value ${where} is too long (at most ${MAX_VALUE_LENGTH} characters)`, item.span);
  let prefix = false;
  if (value.endsWith("*")) {
    if (!s.prefix) fail((where) => `"${s.name}" does not match by prefix: remove the * ${where}`, item.span);
    value = value.replace(/\*+$/, "");
    prefix = true;
    if (!value) fail((where) => `Put the first characters before the * ${where}`, item.span);
  }
  if (s.values) {
    const v = value.toLowerCase();
    if (!s.values.includes(v)) {
      const guess = didYouMean(v, s.values);
      const what = s.name === "drift" ? "drift detector" : s.name === "has" ? `"has" value` : s.name;
      fail(
        (where) =>
          `Unknown ${what} ${quoted(value)} ${where}; ${guess ? `did you mean "${guess}"? ` : ""}it is one of ${s.values!.join(", ")}`,
        item.span,
      );
    }
    value = v;
  }
  if (s.name === "run") {
    value = value.toLowerCase();
    if (!/^[0-9a-f]{1,32}$/.test(value))
      fail((where) => `A run id is up to 32 hexadecimal characters (0-9, a-f): ${quoted(item.value)} ${where}`, item.span);
  }
  return { value, prefix, span: item.span };
}

function compareSeverity(op: Op, value: Severity): string[] {
  const rank = SEVERITIES.indexOf(value);
  return SEVERITIES.filter((_, i) =>
    op === ">=" ? i >= rank : op === ">" ? i > rank : op === "<=" ? i <= rank : op === "<" ? i < rank : i === rank,
  );
}

function timeTerm(query: SearchQuery, term: FieldTerm): void {
  const s = spec(term);
  checkOp(term, s);
  const name = s.name as "after" | "before";
  if (term.negated)
    fail((where) => `"${name}" cannot be negated ${where}; use ${name === "after" ? "before" : "after"}: instead`, term.span);
  if (query[name]) fail((where) => `"${name}" is given twice (again ${where})`, term.span);
  const bound = parseTimeBound(term.value);
  if (!bound)
    fail(
      (where) =>
        `Not a date or an age: ${quoted(term.value)} ${where}; use a date (2026-11-01), a time (2026-11-01T14:30Z) or an age (30m, 24h, 7d, 2w)`,
      term.valueSpan,
    );
  query[name] = bound;
}

function textTerm(term: Extract<Term, { type: "text" }>): TextTerm {
  const { text, span, negated } = term;
  if (text.length > MAX_VALUE_LENGTH)
    fail((where) => `The text ${where} is too long (at most ${MAX_VALUE_LENGTH} characters)`, span);
  if (term.quoted) {
    if (!SEARCHABLE.test(text))
      fail((where) => `Nothing to search for in the phrase ${where}: it needs a letter or a digit`, span);
    return { kind: "phrase", text, negated, span };
  }
  if (text.length > 1 && text.endsWith("*")) {
    const stem = text.replace(/\*+$/, "");
    if (!/^[\p{L}\p{N}]+$/u.test(stem))
      fail((where) => `A prefix search takes letters and digits before the *: ${quoted(text)} ${where}`, span);
    return { kind: "prefix", text: stem, negated, span };
  }
  if (!SEARCHABLE.test(text))
    fail(
      (where) =>
        `Nothing to search for in ${quoted(text)} ${where}: words are matched by their letters and digits (quote a phrase to keep words together)`,
      span,
    );
  return { kind: "words", text, negated, span };
}
