/** Where a problem is in the query: UTF-16 offsets into it, start inclusive, end exclusive (as `input.setSelectionRange`). */
export type Span = { start: number; end: number };

/**
 * A query the language does not accept. The message names the token and where it is
 * (`Unknown key "sevrity" at 12–19; did you mean "severity"?`) and `span` carries the same
 * position for the UI to highlight it.
 */
export class SearchSyntaxError extends Error {
  override name = "SearchSyntaxError";
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

/** "at 12–19" */
export const at = (span: Span) => `at ${span.start}–${span.end}`;

/** The token as typed, quoted and shortened, so a 10,000-character token does not become the message. */
export function quoted(text: string, max = 40): string {
  return `"${text.length > max ? `${text.slice(0, max)}…` : text}"`;
}

/** Throws a SearchSyntaxError whose message places the position where it reads best: fail((where) => `… ${where} …`, span). */
export function fail(message: (where: string) => string, span: Span): never {
  throw new SearchSyntaxError(message(at(span)), span);
}
