import type pg from "pg";
import { RUNS_CHANNEL, formatRunRef, type RunRef } from "@/lib/live/channels";

/**
 * "Run changed" notifications for live views, sent after the data is committed, in
 * their own short statement (NOTIFY inside the write transaction would hold the
 * commit-time notification lock for the whole batch). Payloads stay under
 * Postgres' 8000-byte limit by chunking.
 */
const MAX_PAYLOAD = 7000;

export async function notifyRunsChanged(pool: pg.Pool, runs: RunRef[]): Promise<void> {
  if (runs.length === 0) return;
  await pool.query("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload", [RUNS_CHANNEL, runsChangedPayloads(runs)]);
}

/** The notifications' payloads: JSON arrays of run refs, each under the size limit. */
export function runsChangedPayloads(runs: RunRef[]): string[] {
  if (runs.length === 0) return [];
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const r of runs) {
    const item = JSON.stringify(formatRunRef(r));
    if (size + item.length + 1 > MAX_PAYLOAD) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(item);
    size += item.length + 1;
  }
  chunks.push(`[${current.join(",")}]`);
  return chunks;
}
