/**
 * Postgres notification channels between Causeway's processes, and their payloads.
 * `causeway_runs`: a JSON array of "projectId/runId" strings, sent by the collector
 * after the spans of those runs were committed (collector/store/notify.ts).
 */
export const RUNS_CHANNEL = "causeway_runs";

export type RunRef = { projectId: string; runId: string };

export function formatRunRef(r: RunRef): string {
  return `${r.projectId}/${r.runId}`;
}

/** Tolerant: a malformed payload (another writer, a future format) yields nothing rather than an error. */
export function parseRunsChanged(payload: string): RunRef[] {
  let items: unknown;
  try {
    items = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    if (typeof item !== "string") return [];
    const slash = item.indexOf("/");
    return slash > 0 ? [{ projectId: item.slice(0, slash), runId: item.slice(slash + 1) }] : [];
  });
}
