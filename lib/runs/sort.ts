/**
 * The run list's orders: which column, which direction. Pure, shared by the API schema,
 * the repository and the page (URL state `?sort=tokens&order=asc`).
 */
export const RUN_SORTS = ["started", "activity", "duration", "steps", "tokens", "errors", "drift"] as const;
export type RunSort = (typeof RUN_SORTS)[number];
export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Newest first: the list's order when the URL names none. */
export const DEFAULT_RUN_SORT: { sort: RunSort; order: SortOrder } = { sort: "started", order: "desc" };

/**
 * Where a click on a column header leads: the column already sorted flips its direction;
 * another column starts with the largest (newest, longest, most) first.
 */
export function nextRunSort(current: { sort: RunSort; order: SortOrder }, clicked: RunSort): { sort: RunSort; order: SortOrder } {
  if (current.sort === clicked) return { sort: clicked, order: current.order === "desc" ? "asc" : "desc" };
  return { sort: clicked, order: "desc" };
}

/** The URL parameters for an order: none for the default, so the plain /runs stays the plain list. */
export function runSortParams(s: { sort: RunSort; order: SortOrder }): { sort?: string; order?: string } {
  if (s.sort === DEFAULT_RUN_SORT.sort && s.order === DEFAULT_RUN_SORT.order) return {};
  return { sort: s.sort, order: s.order };
}
