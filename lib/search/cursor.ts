/**
 * Keyset pagination cursors for search results, newest first. A drift result page ends at a drift
 * point (created_at in milliseconds — the column's precision — and its id); a step result page ends
 * at a run (started_at in microseconds, its id). The mode is part of the cursor, so a cursor from
 * another query shape is refused rather than misread.
 */
export type SearchCursor = { mode: "drift"; createdMs: bigint; id: bigint } | { mode: "steps"; startedUs: bigint; runId: string };

export function encodeSearchCursor(c: SearchCursor): string {
  const text = c.mode === "drift" ? `d:${c.createdMs}:${c.id}` : `r:${c.startedUs}:${c.runId}`;
  return Buffer.from(text).toString("base64url");
}

export function decodeSearchCursor(s: string): SearchCursor | null {
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(s)) return null;
  const text = Buffer.from(s, "base64url").toString();
  const drift = /^d:(-?\d{1,16}):(\d{1,19})$/.exec(text);
  if (drift) return { mode: "drift", createdMs: BigInt(drift[1]!), id: BigInt(drift[2]!) };
  const steps = /^r:(-?\d{1,19}):([0-9a-f]{32})$/.exec(text);
  if (steps) return { mode: "steps", startedUs: BigInt(steps[1]!), runId: steps[2]! };
  return null;
}
