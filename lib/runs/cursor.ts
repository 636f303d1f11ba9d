/**
 * Keyset pagination cursor for the run list: the last row's (started_at in
 * microseconds since the epoch, run id). Microseconds because runs store
 * timestamptz(6) and a JS Date would round to milliseconds and skip rows.
 */
export type RunCursor = { startedUs: bigint; id: string };

export function encodeRunCursor(c: RunCursor): string {
  return Buffer.from(`${c.startedUs}:${c.id}`).toString("base64url");
}

export function decodeRunCursor(s: string): RunCursor | null {
  const m = /^(-?\d{1,19}):([0-9a-f]{32})$/.exec(Buffer.from(s, "base64url").toString());
  return m ? { startedUs: BigInt(m[1]!), id: m[2]! } : null;
}
