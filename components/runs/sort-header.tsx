import type { RunSort, SortOrder } from "@/lib/runs/sort";
import { Th } from "@/components/ui/table";

export type RunSortState = { sort: RunSort; order: SortOrder };

/**
 * A column header that sorts the run list: a button (keyboard: Tab, Enter/Space) inside a
 * header cell that carries aria-sort while the list is sorted by it, and an arrow that shows
 * the direction (faint on hover for the other columns). Numbers are right-aligned, so their
 * arrow goes before the label to keep labels over their digits.
 */
export function SortHeader({
  label,
  sortKey,
  state,
  onSort,
  numeric = false,
}: {
  label: string;
  sortKey: RunSort;
  state: RunSortState;
  onSort: (key: RunSort) => void;
  numeric?: boolean;
}) {
  const active = state.sort === sortKey;
  return (
    <Th
      className={numeric ? "text-right" : ""}
      aria-sort={active ? (state.order === "asc" ? "ascending" : "descending") : undefined}
    >
      <button
        type="button"
        onClick={() => onSort(sortKey)}
        className={`group -mx-1 inline-flex items-center gap-1 rounded px-1 uppercase tracking-wide hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:text-zinc-100 ${
          numeric ? "flex-row-reverse" : ""
        } ${active ? "text-zinc-900 dark:text-zinc-100" : ""}`}
      >
        {label}
        <SortArrow direction={active ? state.order : null} />
      </button>
    </Th>
  );
}

function SortArrow({ direction }: { direction: SortOrder | null }) {
  return (
    <svg
      viewBox="0 0 10 10"
      aria-hidden
      className={`size-2.5 shrink-0 ${direction ? "text-sky-600 dark:text-sky-400" : "opacity-0 group-hover:opacity-50 group-focus-visible:opacity-50"}`}
    >
      <path d={direction === "asc" ? "M5 2 L9 8 L1 8 Z" : "M5 8 L9 2 L1 2 Z"} fill="currentColor" />
    </svg>
  );
}
