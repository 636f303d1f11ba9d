import Link from "next/link";
import type { SearchPage } from "@/lib/api/search-schemas";
import { formatAgo, formatTimestamp } from "@/lib/format";
import { detectorLabel } from "@/lib/drift/labels";
import { DriftBadge } from "@/components/drift/drift-badge";
import { RunStatusBadge } from "@/components/runs/status-badge";

/**
 * Search results: each a link to replay at its step. The link holds the whole row, so its
 * accessible name starts with what was found (severity, detector, summary). Span content is
 * untrusted and rendered as text.
 */
export function SearchResults({ page, now }: { page: SearchPage; now: number }) {
  return (
    <ul aria-label="Search results" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {page.results.map((r) => (
        <li key={`${r.kind}:${r.runId}:${r.spanId}:${r.detector ?? ""}`} data-run-id={r.runId} data-span-id={r.spanId}>
          <Link
            href={r.href}
            className="block px-4 py-3 hover:bg-zinc-50 focus-visible:bg-sky-50 focus-visible:outline-none dark:hover:bg-zinc-800/40 dark:focus-visible:bg-sky-950/40"
          >
            <span className="flex flex-wrap items-center gap-2">
              {r.severity && <DriftBadge severity={r.severity} />}
              {r.detector && (
                <span className="text-xs font-medium text-zinc-700 dark:text-zinc-300">{detectorLabel(r.detector)}</span>
              )}
              {!r.detector && (
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
                  {r.stepKind === "tool" ? "tool call" : r.stepKind === "llm" ? "model call" : "step"}
                </span>
              )}
              <span className="min-w-0 flex-1 text-sm text-zinc-900 dark:text-zinc-100">{r.summary}</span>
            </span>
            <span className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-500">
              <span className="font-medium text-zinc-700 dark:text-zinc-300">{r.agent ?? "unknown agent"}</span>
              <span className="max-w-72 truncate" title={r.runId}>
                {r.runName || `${r.runId.slice(0, 12)}…`}
              </span>
              <RunStatusBadge status={r.runStatus} />
              {r.stepName && <span className="max-w-64 truncate font-mono text-[11px]">{r.stepName}</span>}
              <time dateTime={r.time} title={formatTimestamp(r.time)} className="ml-auto">
                {formatAgo(r.time, now)}
              </time>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
