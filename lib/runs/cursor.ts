import { RUN_SORTS, SORT_ORDERS, type RunSort, type SortOrder } from "@/lib/runs/sort";

/**
 * Keyset pagination cursor for the run list: the order it was made for, and the last
 * row's sort value, start time and run id. Values are integers: times in microseconds
 * since the epoch, durations in microseconds (runs store timestamptz(6), and a JS Date
 * would round to milliseconds and skip rows), counts as they are. `value` is null for a
 * run without one (a duration while the run has not ended). Ties go by run id, except
 * among runs that share "no value" (no errors, no duration yet…), which go newest first:
 * hence the start time. The order is in the cursor so a cursor is never applied to a
 * list sorted another way, where it would silently skip or repeat runs.
 */
export type RunCursor = { sort: RunSort; order: SortOrder; value: bigint | null; startedUs: bigint; id: string };

export function encodeRunCursor(c: RunCursor): string {
  return Buffer.from(`${c.sort}.${c.order}.${c.value ?? "null"}.${c.startedUs}.${c.id}`).toString("base64url");
}

const INT = "-?\\d{1,18}";
const CURSOR = new RegExp(`^(${RUN_SORTS.join("|")})\\.(${SORT_ORDERS.join("|")})\\.(${INT}|null)\\.(${INT})\\.([0-9a-f]{32})$`);

export function decodeRunCursor(s: string): RunCursor | null {
  const m = CURSOR.exec(Buffer.from(s, "base64url").toString());
  if (!m) return null;
  const [, sort, order, value, startedUs, id] = m;
  return {
    sort: sort as RunSort,
    order: order as SortOrder,
    value: value === "null" ? null : BigInt(value!),
    startedUs: BigInt(startedUs!),
    id: id!,
  };
}
