"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { Suggestion } from "@/lib/api/search-schemas";
import type { Span } from "@/lib/search/errors";
import { QueryError } from "@/components/search/query-error";

type Props = {
  value: string;
  /** The text changed (typed or a suggestion accepted), with the caret position. */
  onChange: (value: string, caret: number) => void;
  /** The caret moved without a change (arrows, clicks): suggestions follow it. */
  onCaret: (caret: number) => void;
  onSubmit: () => void;
  suggestions: readonly Suggestion[];
  /** Accepting suggestion i: the parent applies it and answers with the new value and caret via `value`. */
  onAccept: (suggestion: Suggestion) => { value: string; caret: number };
  error: { message: string; span: Span | null } | null;
};

/**
 * The query input with autocomplete, as an ARIA combobox: ↓/↑ move through the suggestions, Enter
 * or Tab accepts one, Esc closes them, Enter with none chosen searches. An error points at its
 * token: highlighted under the input and selected in it.
 */
export function SearchBox({ value, onChange, onCaret, onSubmit, suggestions, onAccept, error }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const errorId = useId();
  const shown = open && suggestions.length > 0;

  // After a suggestion is accepted, the new value renders first; then the caret can go where it belongs.
  useEffect(() => {
    if (pendingCaret.current === null || !input.current) return;
    input.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  }, [value]);

  // A new error selects its token, so fixing it is typing over it.
  useEffect(() => {
    if (!error?.span || !input.current) return;
    input.current.focus();
    input.current.setSelectionRange(error.span.start, Math.max(error.span.end, error.span.start));
  }, [error]);

  const accept = (s: Suggestion) => {
    const next = onAccept(s);
    pendingCaret.current = next.caret;
    setActive(-1);
    setOpen(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!suggestions.length) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (shown ? (i + step + suggestions.length) % suggestions.length : step > 0 ? 0 : suggestions.length - 1));
    } else if (e.key === "Escape") {
      if (shown) e.preventDefault();
      setOpen(false);
      setActive(-1);
    } else if (e.key === "Tab" && shown && !e.shiftKey) {
      e.preventDefault();
      accept(suggestions[Math.max(active, 0)]!);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (shown && active >= 0) accept(suggestions[active]!);
      else {
        setOpen(false);
        onSubmit();
      }
    }
  };

  return (
    <div className="relative">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        className="flex gap-2"
      >
        <input
          ref={input}
          // text, not search: a search input clears itself on Esc, which here only closes the suggestions.
          type="text"
          role="combobox"
          aria-label="Search query"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder='drift:loop severity>=high agent:support-bot "refund"'
          value={value}
          onChange={(e) => {
            onChange(e.target.value, e.target.selectionStart ?? e.target.value.length);
            setOpen(true);
            setActive(-1);
          }}
          onSelect={(e) => onCaret(e.currentTarget.selectionStart ?? 0)}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className={`w-full rounded-md border bg-white px-3 py-2 font-mono text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-none focus:ring-2 dark:bg-zinc-900 dark:text-zinc-100 ${
            error
              ? "border-red-400 focus:border-red-500 focus:ring-red-500/30 dark:border-red-700"
              : "border-zinc-300 focus:border-sky-500 focus:ring-sky-500/30 dark:border-zinc-700"
          }`}
        />
        <button
          type="submit"
          className="rounded-md bg-sky-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500"
        >
          Search
        </button>
      </form>
      <ul
        id={listId}
        role="listbox"
        aria-label="Suggestions"
        hidden={!shown}
        className="absolute z-20 mt-1 max-h-72 w-full max-w-xl overflow-auto rounded-md border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
      >
        {suggestions.map((s, i) => (
          <li
            key={`${s.kind}:${s.label}`}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the input must not lose focus (and close the list) first.
            onMouseDown={(e) => {
              e.preventDefault();
              accept(s);
            }}
            onMouseEnter={() => setActive(i)}
            className={`flex cursor-pointer items-baseline gap-3 px-3 py-1.5 ${i === active ? "bg-sky-50 dark:bg-sky-950/60" : ""}`}
          >
            <span className="font-mono text-zinc-900 dark:text-zinc-100">{s.label}</span>
            {s.detail && <span className="truncate text-xs text-zinc-500">{s.detail}</span>}
          </li>
        ))}
      </ul>
      {error && <QueryError id={errorId} query={value} message={error.message} span={error.span} />}
    </div>
  );
}
