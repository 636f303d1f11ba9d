/**
 * The text of a stored message (canonical `{role, content, tool_calls?}`) for a search result:
 * string content, the string values of content parts, and tool calls as `name(arguments)`. Stored
 * content comes from untrusted spans, so anything unexpected is skipped rather than trusted.
 */
export function messageText(content: unknown): string {
  if (!content || typeof content !== "object") return "";
  const m = content as { content?: unknown; tool_calls?: unknown };
  const parts: string[] = [];
  collectStrings(m.content, parts, 0);
  if (Array.isArray(m.tool_calls))
    for (const call of m.tool_calls) {
      if (!call || typeof call !== "object") continue;
      const { name, arguments: args } = call as { name?: unknown; arguments?: unknown };
      if (typeof name === "string") parts.push(`${name}(${typeof args === "string" ? args : ""})`);
    }
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 4) return;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (k !== "type") collectStrings(v, out, depth + 1);
}

/**
 * About `width` characters of `text` around the first of `words` it contains (case-insensitive),
 * with an ellipsis where it was cut; the start of the text when none is found.
 */
export function snippet(text: string, words: readonly string[], width = 160): string {
  if (text.length <= width) return text;
  const lower = text.toLowerCase();
  const found = words
    .map((w) => lower.indexOf(w.toLowerCase()))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b)[0];
  const start = found === undefined ? 0 : Math.max(0, Math.min(found - Math.floor(width / 3), text.length - width));
  const end = Math.min(text.length, start + width);
  return `${start > 0 ? "…" : ""}${text.slice(start, end).trim()}${end < text.length ? "…" : ""}`;
}

/** The words of the query's text terms, for snippets and highlighting (letters and digits only). */
export function searchWords(terms: readonly { text: string; negated: boolean }[]): string[] {
  return terms.filter((t) => !t.negated).flatMap((t) => t.text.match(/[\p{L}\p{N}]+/gu) ?? []);
}
