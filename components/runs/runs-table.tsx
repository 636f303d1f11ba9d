import Link from "next/link";
import type { RunSummary } from "@/lib/api/schemas";
import { formatAgo, formatCount, formatDuration, formatTimestamp } from "@/lib/format";
import { sessionRunsHref, truncateMiddle } from "@/lib/sessions/format";
import { RunStatusBadge } from "@/components/runs/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { SortHeader, type RunSortState } from "@/components/runs/sort-header";
import { DEFAULT_RUN_SORT, type RunSort } from "@/lib/runs/sort";

/**
 * The run list: presentational, fed by ConnectedRuns. A Session column appears when a run on the page has one
 * (not when the list is already one session's: `sessionColumn` false). With `onSort`, the headers of the
 * sortable columns are buttons that sort the list by them.
 */
export function RunsTable({
  runs,
  now,
  sessionColumn = true,
  sort = DEFAULT_RUN_SORT,
  onSort,
}: {
  runs: RunSummary[];
  now: number;
  sessionColumn?: boolean;
  sort?: RunSortState;
  onSort?: (key: RunSort) => void;
}) {
  const sessions = sessionColumn && runs.some((r) => r.sessionId);
  const header = (label: string, key: RunSort, numeric = false) =>
    onSort ? (
      <SortHeader label={label} sortKey={key} state={sort} onSort={onSort} numeric={numeric} />
    ) : (
      <Th className={numeric ? "text-right" : ""}>{label}</Th>
    );
  return (
    <Table label="Runs">
      <thead>
        <tr>
          <Th>Status</Th>
          <Th>Agent</Th>
          <Th>Name</Th>
          {sessions && <Th>Session</Th>}
          {header("Started", "started")}
          {header("Last active", "activity")}
          {header("Duration", "duration", true)}
          {header("Steps", "steps", true)}
          <Th className="text-right">LLM</Th>
          <Th className="text-right">Tools</Th>
          {header("Tokens", "tokens", true)}
          {header("Errors", "errors", true)}
          {header("Drift", "drift", true)}
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run-id={run.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
            <Td>
              <RunStatusBadge status={run.status} />
            </Td>
            <Td className="max-w-48 truncate font-medium">
              {run.agent?.serviceName ?? <span className="text-zinc-400">unknown</span>}
            </Td>
            <Td className="max-w-72 truncate" title={run.id}>
              <Link href={`/runs/${run.id}`} className="hover:underline">
                {run.name || <span className="font-mono text-xs text-zinc-500">{run.id.slice(0, 12)}…</span>}
              </Link>
            </Td>
            {sessions && (
              <Td title={run.sessionId ?? undefined}>
                {run.sessionId && (
                  <Link
                    href={sessionRunsHref(run.sessionId)}
                    aria-label={`Runs of session ${run.sessionId}`}
                    className="font-mono text-xs text-zinc-500 hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
                  >
                    {truncateMiddle(run.sessionId, 22)}
                  </Link>
                )}
              </Td>
            )}
            <Td title={formatTimestamp(run.startedAt)} className="text-zinc-500">
              {formatAgo(run.startedAt, now)}
            </Td>
            <Td title={formatTimestamp(run.lastActivityAt)} className="text-zinc-500">
              {formatAgo(run.lastActivityAt, now)}
            </Td>
            <Td className="text-right tabular-nums">
              {run.status === "live" ? formatDuration(now - Date.parse(run.startedAt)) : formatDuration(run.durationMs)}
            </Td>
            <Td className="text-right tabular-nums">{formatCount(run.stepCount)}</Td>
            <Td className="text-right tabular-nums">{formatCount(run.llmCallCount)}</Td>
            <Td className="text-right tabular-nums">{formatCount(run.toolCallCount)}</Td>
            <Td className="text-right tabular-nums">{formatCount(run.totalTokens)}</Td>
            <Td
              className={`text-right tabular-nums ${run.errorCount ? "font-medium text-red-600 dark:text-red-400" : "text-zinc-400"}`}
            >
              {run.errorCount}
            </Td>
            <Td
              className={`text-right tabular-nums ${run.driftCount ? "font-medium text-amber-600 dark:text-amber-400" : "text-zinc-400"}`}
            >
              {run.driftCount}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
