import { keySpec, KEYS, type KeyName } from "@/lib/search/keys";

/**
 * Autocomplete: what is being typed at the caret — a key, or a value of a key — and the range of
 * the query a suggestion replaces. Works on unfinished queries (an open quote, a key with no value
 * yet), so it scans rather than parses.
 */
export type SuggestContext =
  | { kind: "key"; prefix: string; from: number; to: number }
  | { kind: "value"; key: KeyName; prefix: string; from: number; to: number };

export type SuggestionItem = { kind: "key" | "value"; label: string; insert: string; detail: string | null };

const SPACE = /\s/u;
const FIELD = /^([A-Za-z_][A-Za-z0-9_]*)(>=|<=|:|=|>|<)/;

export function suggestContext(q: string, caret = q.length): SuggestContext | null {
  const at = Math.max(0, Math.min(caret, q.length));
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < at; i++) {
    const c = q[i]!;
    if (inQuote && c === "\\") i++;
    else if (c === '"') inQuote = !inQuote;
    else if (!inQuote && SPACE.test(c)) start = i + 1;
  }
  let to = at;
  for (let quote = inQuote; to < q.length; to++) {
    const c = q[to]!;
    if (quote && c === "\\") to++;
    else if (c === '"') quote = !quote;
    else if (!quote && SPACE.test(c)) break;
  }
  to = Math.min(to, q.length);
  const from = q[start] === "-" ? start + 1 : start;
  const typed = q.slice(from, at);
  const field = FIELD.exec(typed);
  if (!field) {
    if (typed.startsWith('"')) return null;
    // Editing the key of "severity:high": replace the key only, keep the value.
    const whole = FIELD.exec(q.slice(from, to));
    return { kind: "key", prefix: typed, from, to: whole ? from + whole[1]!.length + whole[2]!.length : to };
  }
  const spec = keySpec(field[1]!.toLowerCase());
  if (!spec) return null;
  const valueStart = from + field[0].length;
  let value = q.slice(valueStart, at);
  let itemStart = valueStart;
  if (value.startsWith('"')) value = value.slice(1).replace(/\\(["\\])/g, "$1");
  else if (spec.list) {
    const comma = value.lastIndexOf(",");
    itemStart += comma + 1;
    value = value.slice(comma + 1);
    // Replace only this item of a list: up to the next comma.
    const next = q.slice(itemStart, to).indexOf(",");
    if (next >= 0) to = itemStart + next;
  }
  return { kind: "value", key: spec.name, prefix: value, from: itemStart, to };
}

export function keySuggestions(prefix: string): SuggestionItem[] {
  const p = prefix.toLowerCase();
  return KEYS.filter((k) => k.name.startsWith(p)).map((k) => ({
    kind: "key",
    label: `${k.name}:`,
    insert: `${k.name}:`,
    detail: `${k.description} — ${k.example}`,
  }));
}

/** Values for a key, those starting with what is typed first, then those containing it; quoted when they must be. */
export function valueSuggestions(prefix: string, values: readonly string[], limit = 12): SuggestionItem[] {
  const p = prefix.toLowerCase().replace(/\*$/, "");
  const starts = values.filter((v) => v.toLowerCase().startsWith(p));
  const contains = values.filter((v) => !v.toLowerCase().startsWith(p) && v.toLowerCase().includes(p));
  return [...new Set([...starts, ...contains])]
    .slice(0, limit)
    .map((v) => ({ kind: "value", label: v, insert: quoteValue(v), detail: null }));
}

/** A value as it must be typed: bare when it can be, else quoted with " and \ escaped. */
export function quoteValue(value: string): string {
  return /^[^\s",]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** Values known without the database; null for keys whose values come from it. */
export function staticValues(key: KeyName, now: Date): readonly string[] | null {
  if (key === "after" || key === "before") return ["1h", "24h", "7d", "30d", now.toISOString().slice(0, 10)];
  if (key === "run") return [];
  return keySpec(key)?.values ?? null;
}

/**
 * The query after accepting a suggestion that replaces q[from, to), and where the caret goes: after
 * a key, ready for its value; after a value, past a space, ready for the next term.
 */
export function applySuggestion(
  q: string,
  s: { kind: "key" | "value"; insert: string },
  from: number,
  to: number,
): { value: string; caret: number } {
  const rest = q.slice(to);
  const space = s.kind === "value" && !/^\s/.test(rest) ? " " : "";
  const value = `${q.slice(0, from)}${s.insert}${space}${rest}`;
  return { value, caret: from + s.insert.length + (s.kind === "value" ? 1 : 0) };
}
