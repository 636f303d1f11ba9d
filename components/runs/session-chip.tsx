import { truncateMiddle } from "@/lib/sessions/format";

/** The run list's session filter, shown as a chip that removes it. */
export function SessionChip({ sessionId, onRemove }: { sessionId: string; onRemove: () => void }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1 rounded-full border border-sky-500 bg-sky-50 py-0.5 pr-1 pl-3 text-xs font-medium text-sky-700 dark:bg-sky-950 dark:text-sky-300">
      <span className="shrink-0">Session:</span>
      <span className="font-mono" title={sessionId}>
        {truncateMiddle(sessionId, 48)}
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label="Remove session filter"
        title="Show all runs"
        className="ml-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full hover:bg-sky-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-sky-900"
      >
        <svg viewBox="0 0 12 12" className="size-3" aria-hidden>
          <path d="M3 3l6 6M9 3l-6 6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
    </span>
  );
}
