import { TextBlock } from "@/components/step/text-block";

/** Objects whose JSON text is longer than this are shown as a collapsible tree instead of one block. */
const INLINE_CHARS = 1200;
/** Entries listed per object before "N more". */
const MAX_ENTRIES = 200;

/**
 * JSON values as text: small objects pretty-printed in one block, big ones as a tree of
 * collapsible entries (open at the top level), strings as plain text. Span content is
 * untrusted: everything goes through React's text escaping.
 */
export function JsonView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (typeof value === "string") return <TextBlock text={value} />;
  if (typeof value !== "object" || value === null)
    return <code className="font-mono text-xs text-sky-800 dark:text-sky-300">{String(value)}</code>;
  const text = JSON.stringify(value, null, 2) ?? "";
  if (text.length <= INLINE_CHARS) return <TextBlock text={text} />;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  return (
    <details open={depth === 0} className="font-mono text-xs">
      <summary className="cursor-pointer text-zinc-500 select-none">
        {Array.isArray(value) ? `[ ${entries.length} items ]` : `{ ${entries.length} keys }`}
      </summary>
      <ul className="ml-3 border-l border-zinc-200 pl-3 dark:border-zinc-800">
        {entries.slice(0, MAX_ENTRIES).map(([k, v]) => (
          <li key={k} className="py-0.5">
            <span className="text-zinc-500">{k}: </span>
            <JsonView value={v} depth={depth + 1} />
          </li>
        ))}
        {entries.length > MAX_ENTRIES && (
          <li className="py-0.5 text-zinc-500">… {entries.length - MAX_ENTRIES} more (copy the whole value to see them)</li>
        )}
      </ul>
    </details>
  );
}

/** A text that may hold JSON (tool arguments, results): parsed and shown as JSON when it does. */
export function JsonOrText({ text }: { text: string }) {
  const parsed = parseJson(text);
  return parsed !== undefined && typeof parsed === "object" && parsed !== null ? (
    <JsonView value={parsed} />
  ) : (
    <TextBlock text={text} />
  );
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}
