import Link from "next/link";
import type { SessionSummary } from "@/lib/api/schemas";
import { formatAgo, formatCount, formatTimestamp } from "@/lib/format";
import { formatAgentNames, sessionRunsHref, truncateMiddle } from "@/lib/sessions/format";
import { Table, Td, Th } from "@/components/ui/table";

/** The session list: presentational, fed by ConnectedSessions. A session opens the run list filtered to it. */
export function SessionsTable({ sessions, now }: { sessions: SessionSummary[]; now: number }) {
  return (
    <Table label="Sessions">
      <thead>
        <tr>
          <Th>Session</Th>
          <Th>Agents</Th>
          <Th className="text-right">Runs</Th>
          <Th>First seen</Th>
          <Th>Last activity</Th>
          <Th className="text-right">Steps</Th>
          <Th className="text-right">LLM</Th>
          <Th className="text-right">Tools</Th>
          <Th className="text-right">Tokens</Th>
          <Th className="text-right">Errors</Th>
          <Th className="text-right">Drift</Th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} data-session-id={s.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
            <Td title={s.id}>
              <Link href={sessionRunsHref(s.id)} aria-label={s.id} className="font-mono text-xs hover:underline">
                {truncateMiddle(s.id, 32)}
              </Link>
            </Td>
            <Td
              className="max-w-56 truncate font-medium"
              title={s.agentCount > s.agents.length ? `${s.agentCount} agents` : undefined}
            >
              {formatAgentNames(s.agents, s.agentCount) || <span className="text-zinc-400">unknown</span>}
            </Td>
            <Td className="text-right tabular-nums">
              <span className="inline-flex items-center justify-end gap-2">
                {s.liveRunCount > 0 && (
                  <span
                    className="inline-flex items-center gap-1 rounded-full bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-700 ring-1 ring-sky-300 ring-inset dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-800"
                    title={`${s.liveRunCount} of ${s.runCount} runs live`}
                  >
                    <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />
                    {s.liveRunCount} live
                  </span>
                )}
                {formatCount(s.runCount)}
              </span>
            </Td>
            <Td title={formatTimestamp(s.firstSeenAt)} className="text-zinc-500">
              {formatAgo(s.firstSeenAt, now)}
            </Td>
            <Td title={formatTimestamp(s.lastSeenAt)} className="text-zinc-500">
              {formatAgo(s.lastSeenAt, now)}
            </Td>
            <Td className="text-right tabular-nums">{formatCount(s.stepCount)}</Td>
            <Td className="text-right tabular-nums">{formatCount(s.llmCallCount)}</Td>
            <Td className="text-right tabular-nums">{formatCount(s.toolCallCount)}</Td>
            <Td className="text-right tabular-nums" title={`${s.inputTokens} in · ${s.outputTokens} out`}>
              {formatCount(s.totalTokens)}
            </Td>
            <Td
              className={`text-right tabular-nums ${s.errorCount || s.errorRunCount ? "font-medium text-red-600 dark:text-red-400" : "text-zinc-400"}`}
              title={s.errorRunCount ? `${s.errorRunCount} of ${s.runCount} runs failed` : undefined}
            >
              {formatCount(s.errorCount)}
            </Td>
            <Td
              className={`text-right tabular-nums ${s.driftCount ? "font-medium text-amber-600 dark:text-amber-400" : "text-zinc-400"}`}
            >
              {formatCount(s.driftCount)}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
