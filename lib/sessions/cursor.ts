/**
 * Keyset pagination cursor for the session list: the last row's (last_seen_at in
 * microseconds since the epoch, session id). Microseconds, like the run cursor, so a
 * cursor never rounds a timestamp and skips rows. A session id is any non-empty
 * string the agent sent (it may contain ":"), so it is everything after the first ":".
 */
export type SessionCursor = { lastSeenUs: bigint; id: string };

export function encodeSessionCursor(c: SessionCursor): string {
  return Buffer.from(`${c.lastSeenUs}:${c.id}`).toString("base64url");
}

export function decodeSessionCursor(s: string): SessionCursor | null {
  const m = /^(-?\d{1,19}):([\s\S]+)$/.exec(Buffer.from(s, "base64url").toString());
  return m ? { lastSeenUs: BigInt(m[1]!), id: m[2]! } : null;
}
