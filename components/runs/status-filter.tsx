export function StatusFilter({
  statuses,
  selected,
  onChange,
}: {
  statuses: readonly string[];
  selected: string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <div role="group" aria-label="Filter by status" className="flex flex-wrap gap-1.5">
      {statuses.map((s) => {
        const on = selected.includes(s);
        return (
          <button
            key={s}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? selected.filter((x) => x !== s) : [...selected, s])}
            className={`rounded-full border px-3 py-1 text-xs font-medium ${
              on
                ? "border-sky-500 bg-sky-50 text-sky-700 dark:bg-sky-950 dark:text-sky-300"
                : "border-zinc-300 text-zinc-600 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-400 dark:hover:bg-zinc-800"
            }`}
          >
            {s}
          </button>
        );
      })}
    </div>
  );
}
