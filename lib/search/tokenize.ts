import { fail, quoted, type Span } from "@/lib/search/errors";

/**
 * Splits a query into terms, keeping each one's position for error messages:
 *
 *   term   := "-"? ( key op value | '"' phrase '"' | word )
 *   op     := ":" | "=" | ">=" | ">" | "<=" | "<"
 *   value  := bare | '"' quoted '"'          (inside quotes \" and \\ escape)
 *
 * Terms are separated by white space. A "-" negates only when a letter, digit, "_" or a quote
 * follows it, so "--" or "-5%" stay words. Nothing here knows which keys exist (parse.ts does).
 */
export type Op = ":" | "=" | ">=" | ">" | "<=" | "<";

export type Term =
  | { type: "text"; negated: boolean; quoted: boolean; text: string; span: Span }
  | {
      type: "field";
      negated: boolean;
      key: string;
      keySpan: Span;
      op: Op;
      value: string;
      quoted: boolean;
      /** The value as typed (with its quotes, when quoted). */
      valueSpan: Span;
      span: Span;
    };

export const MAX_QUERY_LENGTH = 1000;
export const MAX_TERMS = 40;

const SPACE = /\s/u;
const KEY = /^([A-Za-z_][A-Za-z0-9_]*)(>=|<=|:|=|>|<)/;
const NEGATABLE = /[\p{L}\p{N}_"]/u;

export function tokenize(input: string): Term[] {
  if (input.length > MAX_QUERY_LENGTH)
    fail((where) => `The query is too long: ${input.length} characters, at most ${MAX_QUERY_LENGTH} (the excess is ${where})`, {
      start: MAX_QUERY_LENGTH,
      end: input.length,
    });
  checkControlCharacters(input);
  const terms: Term[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && SPACE.test(input[i]!)) i++;
    if (i >= input.length) return terms;
    if (terms.length === MAX_TERMS)
      fail((where) => `Too many terms: at most ${MAX_TERMS} (the rest is ${where})`, { start: i, end: input.length });
    const term = readTerm(input, i);
    terms.push(term);
    i = term.span.end;
  }
}

function readTerm(input: string, start: number): Term {
  const negated = input[start] === "-" && start + 1 < input.length && NEGATABLE.test(input[start + 1]!);
  const from = negated ? start + 1 : start;
  if (input[from] === '"') {
    const { text, end } = readQuoted(input, from);
    return { type: "text", negated, quoted: true, text, span: { start, end } };
  }
  const key = KEY.exec(input.slice(from, from + 64));
  if (key) {
    const keySpan = { start: from, end: from + key[1]!.length };
    const valueStart = from + key[0].length;
    const op = key[2] as Op;
    if (valueStart >= input.length || SPACE.test(input[valueStart]!))
      fail((where) => `${quoted(input.slice(from, valueStart))} ${where} needs a value`, { start: from, end: valueStart });
    if (input[valueStart] === '"') {
      const { text, end } = readQuoted(input, valueStart);
      return {
        type: "field",
        negated,
        key: key[1]!,
        keySpan,
        op,
        value: text,
        quoted: true,
        valueSpan: { start: valueStart, end },
        span: { start, end },
      };
    }
    const end = readBare(input, valueStart);
    return {
      type: "field",
      negated,
      key: key[1]!,
      keySpan,
      op,
      value: input.slice(valueStart, end),
      quoted: false,
      valueSpan: { start: valueStart, end },
      span: { start, end },
    };
  }
  const end = readBare(input, from);
  return { type: "text", negated, quoted: false, text: input.slice(from, end), span: { start, end } };
}

/** A bare word or value: up to the next white space; a quote inside one is a mistake worth naming. */
function readBare(input: string, start: number): number {
  let i = start;
  while (i < input.length && !SPACE.test(input[i]!)) {
    if (input[i] === '"')
      fail(
        (where) =>
          `Unexpected quote ${where} in ${quoted(input.slice(start, i + 1))}: quote the whole word or value, like "two words"`,
        {
          start: i,
          end: i + 1,
        },
      );
    i++;
  }
  return i;
}

/** A quoted string from its opening quote: its text (escapes resolved) and the offset after the closing quote. */
function readQuoted(input: string, open: number): { text: string; end: number } {
  let text = "";
  for (let i = open + 1; i < input.length; i++) {
    const c = input[i]!;
    if (c === "\\" && i + 1 < input.length && (input[i + 1] === '"' || input[i + 1] === "\\")) {
      text += input[++i];
    } else if (c === '"') {
      const end = i + 1;
      if (end < input.length && !SPACE.test(input[end]!))
        fail((where) => `Put a space after the closing quote of ${quoted(input.slice(open, end))} ${where}`, {
          start: i,
          end: end + 1,
        });
      return { text, end };
    } else text += c;
  }
  return fail((where) => `Unclosed quote ${where}: add a closing " to ${quoted(input.slice(open))}`, {
    start: open,
    end: input.length,
  });
}

/** NUL cannot be stored in Postgres text and other control characters are never meant: refuse them up front. */
function checkControlCharacters(input: string): void {
  const m = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(input);
  if (m)
    fail(
      (where) => `Control character U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} ${where} is not allowed`,
      {
        start: m.index,
        end: m.index + 1,
      },
    );
}
