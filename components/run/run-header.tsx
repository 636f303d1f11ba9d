import type { RunSummary } from "@/lib/api/schemas";
import { formatCount, formatDuration, formatTimestamp } from "@/lib/format";
import { RunStatusBadge } from "@/components/runs/status-badge";

export function RunHeader({ run }: { run: RunSummary }) {
  const facts: [string, string][] = [
    ["Agent", run.agent?.serviceName ?? "unknown"],
    ["Started", formatTimestamp(run.startedAt)],
    ["Duration", run.status === "live" ? "running" : formatDuration(run.durationMs)],
    ["Steps", formatCount(run.stepCount)],
    ["LLM calls", formatCount(run.llmCallCount)],
    ["Tool calls", formatCount(run.toolCallCount)],
    ["Tokens", formatCount(run.totalTokens)],
    ["Errors", String(run.errorCount)],
  ];
  if (run.sessionId) facts.push(["Session", run.sessionId]);
  return (
    <header className="mb-5">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold tracking-tight">{run.name || "Unnamed run"}</h1>
        <RunStatusBadge status={run.status} />
      </div>
      <p className="mt-1 font-mono text-xs text-zinc-500">{run.id}</p>
      <dl className="mt-4 flex flex-wrap gap-x-8 gap-y-2">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt className="text-[11px] uppercase tracking-wide text-zinc-500">{k}</dt>
            <dd className="text-sm font-medium tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
