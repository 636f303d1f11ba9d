import type { WordChange } from "@/lib/api/step-schemas";

/** A word diff as text: insertions green, deletions red and struck. */
export function WordDiff({ words }: { words: WordChange[] }) {
  return (
    <pre className="font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
      {words.map((w, i) =>
        w.op === "add" ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline dark:bg-emerald-900/50 dark:text-emerald-200">
            {w.text}
          </ins>
        ) : w.op === "remove" ? (
          <del key={i} className="bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-200">
            {w.text}
          </del>
        ) : (
          <span key={i}>{w.text}</span>
        ),
      )}
    </pre>
  );
}
