"use client";

import { useState } from "react";

/** Copies text to the clipboard; says so for a moment. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 1500);
  };
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      className="rounded px-1.5 py-0.5 text-[11px] text-zinc-500 ring-1 ring-zinc-200 ring-inset hover:bg-zinc-100 hover:text-zinc-900 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
    </button>
  );
}
