import type { Attributes, AttrValue } from "@/lib/otlp/types";

/**
 * Liberal readers for attribute values: conventions send the same thing as a JSON
 * string or a structured value, numbers as strings, booleans as "true". Every reader
 * returns undefined rather than throwing, so one odd attribute never loses a span.
 */

export function str(attrs: Attributes, key: string): string | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return String(v);
  return toJsonText(v);
}

export function num(attrs: Attributes, key: string): number | undefined {
  const v = attrs[key];
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** An integer count (tokens…): non-negative, within int32, else undefined. */
export function count(attrs: Attributes, key: string): number | undefined {
  const n = num(attrs, key);
  return n !== undefined && n >= 0 && n <= 2_147_483_647 ? Math.round(n) : undefined;
}

/** A structured value: parsed from JSON text when it is a string, as is otherwise. */
export function structured(attrs: Attributes, key: string): AttrValue | undefined {
  return parseJsonText(attrs[key] ?? undefined);
}

/** A value parsed from JSON text when the text looks like a JSON object or array; anything else is returned unchanged. */
export function parseJsonText(v: AttrValue | undefined): AttrValue | undefined {
  if (typeof v !== "string") return v;
  const t = v.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return v;
  try {
    return JSON.parse(t) as AttrValue;
  } catch {
    return v;
  }
}

/** First defined value among several keys (conventions renamed attributes over time). */
export function first<T>(attrs: Attributes, keys: string[], read: (a: Attributes, k: string) => T | undefined): T | undefined {
  for (const k of keys) {
    const v = read(attrs, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** JSON text for any attribute value (bigint as string, bytes as base64). */
export function toJsonText(v: AttrValue): string {
  return typeof v === "string" ? v : JSON.stringify(v, jsonReplacer);
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

/** Attributes under a prefix, e.g. indexed `llm.input_messages.0.message.role` -> rows by index. */
export function indexed(attrs: Attributes, prefix: string): Map<number, Attributes> {
  const rows = new Map<number, Attributes>();
  const p = prefix.endsWith(".") ? prefix : prefix + ".";
  for (const key in attrs) {
    if (!key.startsWith(p)) continue;
    const rest = key.slice(p.length);
    const dot = rest.indexOf(".");
    const idx = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(idx) || idx < 0) continue;
    const row = rows.get(idx) ?? {};
    row[dot === -1 ? "" : rest.slice(dot + 1)] = attrs[key]!;
    rows.set(idx, row);
  }
  return new Map([...rows].sort((a, b) => a[0] - b[0]));
}

/** Finish reasons arrive as tool-calls / tool_call / tool_calls / TOOL_CALLS: one spelling. */
export function normalizeFinishReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const r = reason.toLowerCase().replace(/-/g, "_");
  return r === "tool_call" ? "tool_calls" : r;
}
