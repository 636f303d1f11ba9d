"use client";

import { useId, useState, type ReactNode } from "react";

export type Tab = { id: string; label: string; content: ReactNode };

/** Accessible tabs (tablist / tab / tabpanel); only the selected panel is rendered. */
export function Tabs({ tabs, initial, label }: { tabs: Tab[]; initial?: string; label: string }) {
  const [selected, setSelected] = useState(initial ?? tabs[0]?.id);
  const base = useId();
  const current = tabs.find((t) => t.id === selected) ?? tabs[0];
  const move = (delta: number) => {
    const i = tabs.findIndex((t) => t.id === current?.id);
    const next = tabs[(i + delta + tabs.length) % tabs.length];
    if (!next) return;
    setSelected(next.id);
    document.getElementById(`${base}-${next.id}-tab`)?.focus();
  };
  return (
    <div>
      <div
        role="tablist"
        aria-label={label}
        className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800"
        onKeyDown={(e) => {
          if (e.key === "ArrowRight") move(1);
          if (e.key === "ArrowLeft") move(-1);
        }}
      >
        {tabs.map((t) => {
          const active = t.id === current?.id;
          return (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`${base}-${t.id}-tab`}
              aria-selected={active}
              aria-controls={`${base}-${t.id}-panel`}
              tabIndex={active ? 0 : -1}
              onClick={() => setSelected(t.id)}
              className={`-mb-px border-b-2 px-3 py-1.5 text-xs font-medium ${
                active
                  ? "border-sky-600 text-zinc-900 dark:text-zinc-100"
                  : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
              }`}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      {current && (
        <div role="tabpanel" id={`${base}-${current.id}-panel`} aria-labelledby={`${base}-${current.id}-tab`} className="pt-3">
          {current.content}
        </div>
      )}
    </div>
  );
}
