import { formatBytes, truncationLabel } from "@/lib/context/summary";

/** "truncated: 1.2 MB → 64 KB", so nobody mistakes a capped value for the whole one. */
export function TruncationMarker({ fullBytes, keptBytes, what }: { fullBytes: number; keptBytes: number | null; what?: string }) {
  const label = keptBytes === null ? `truncated: ${formatBytes(fullBytes)} originally` : truncationLabel(fullBytes, keptBytes);
  return (
    <span
      data-truncated=""
      className="inline-flex items-center rounded bg-amber-50 px-1.5 py-0.5 font-mono text-[11px] text-amber-800 ring-1 ring-amber-300 ring-inset dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800"
    >
      {what ? `${what} ${label}` : label}
    </span>
  );
}
