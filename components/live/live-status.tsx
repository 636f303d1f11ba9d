/** The freshness line of a live list: a failed refresh, a refresh in flight, live (notifications) or polling. */
export function LiveStatus({ error, isFetching, live }: { error: Error | null; isFetching: boolean; live: boolean }) {
  return (
    <span className="text-xs text-zinc-500" aria-live="polite">
      {error ? `Refresh failed: ${error.message}` : isFetching ? "Refreshing…" : live ? "Live" : "Up to date (polling)"}
    </span>
  );
}
