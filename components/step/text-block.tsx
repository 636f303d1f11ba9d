"use client";

import { useState } from "react";

/** Lines shown before folding, whatever the character limit: many short lines are as tall as a long text. */
const MAX_LINES = 30;

/**
 * Untrusted text shown as text (React escapes it; no HTML is ever injected), wrapped, with long
 * values folded to their first `limit` characters (or MAX_LINES lines) until asked.
 */
export function TextBlock({ text, limit = 4000, className = "" }: { text: string; limit?: number; className?: string }) {
  const [open, setOpen] = useState(false);
  const cut = foldAt(text, limit);
  const folded = !open && cut < text.length;
  return (
    <div className={className}>
      <pre className="font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
        {folded ? text.slice(0, cut) : text}
        {folded && <span className="text-zinc-400">…</span>}
      </pre>
      {cut < text.length && (
        <button
          type="button"
          onClick={() => setOpen(!open)}
          className="mt-1 text-[11px] text-sky-700 hover:underline dark:text-sky-400"
        >
          {open ? "Show less" : `Show all (${text.length.toLocaleString("en-US")} characters)`}
        </button>
      )}
    </div>
  );
}

function foldAt(text: string, limit: number): number {
  let at = -1;
  for (let line = 0; line < MAX_LINES; line++) {
    at = text.indexOf("\n", at + 1);
    if (at === -1 || at >= limit) return Math.min(text.length, limit);
  }
  return at;
}
