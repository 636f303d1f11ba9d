import type { WaterfallRow } from "@/lib/runs/waterfall";
import { formatDuration } from "@/lib/format";
import { BAR, KindBadge } from "@/components/run/kind-badge";

/**
 * Steps in causal-tree order with a time bar each, and the decision links they take
 * part in. Renders what it is given; span content is shown as text only.
 */
export function StepWaterfall({ rows, limit }: { rows: WaterfallRow[]; limit: number }) {
  const shown = rows.slice(0, limit);
  return (
    <div role="table" aria-label="Steps" className="text-sm">
      <div
        role="row"
        className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_5rem_5rem] gap-3 border-b border-zinc-200 px-4 py-2 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:border-zinc-800"
      >
        <span role="columnheader">Step</span>
        <span role="columnheader">Timeline</span>
        <span role="columnheader" className="text-right">
          Duration
        </span>
        <span role="columnheader" className="text-right">
          Tokens
        </span>
      </div>
      {shown.map((r) => (
        <div
          role="row"
          key={r.step.spanId}
          id={`step-${r.step.spanId}`}
          className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_5rem_5rem] items-center gap-3 border-b border-zinc-100 px-4 py-1.5 hover:bg-zinc-50 dark:border-zinc-800/60 dark:hover:bg-zinc-800/30"
        >
          <div role="cell" className="min-w-0" style={{ paddingLeft: `${Math.min(r.depth, 24) * 14}px` }}>
            <div className="flex items-center gap-2">
              <KindBadge kind={r.step.kind} />
              <span
                className={`truncate ${r.step.status === "error" ? "text-red-600 dark:text-red-400" : ""}`}
                title={r.step.name}
              >
                {r.step.name}
              </span>
              {r.step.model && <span className="truncate text-xs text-zinc-500">{r.step.model}</span>}
            </div>
            {(r.links.length > 0 || r.step.statusMessage) && (
              <div className="mt-0.5 flex flex-wrap gap-1.5 pl-[4.5rem] text-[11px]">
                {r.step.statusMessage && <span className="text-red-600 dark:text-red-400">{r.step.statusMessage}</span>}
                {r.links.map((l, i) => (
                  <a
                    key={i}
                    href={`#step-${l.target}`}
                    className="rounded bg-zinc-100 px-1.5 text-zinc-600 hover:text-zinc-900 dark:bg-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-100"
                  >
                    {l.direction === "out" ? "→" : "←"} {l.label}
                  </a>
                ))}
              </div>
            )}
          </div>
          <div role="cell" className="relative h-3 rounded bg-zinc-100 dark:bg-zinc-800/60">
            <div
              className={`absolute top-0 h-3 rounded ${BAR[r.step.kind]} ${r.step.status === "error" ? "ring-2 ring-red-500" : ""}`}
              style={{ left: `${r.offset * 100}%`, width: `max(2px, ${r.width * 100}%)` }}
            />
          </div>
          <span role="cell" className="text-right tabular-nums text-zinc-600 dark:text-zinc-400">
            {formatDuration(r.durationMs)}
          </span>
          <span role="cell" className="text-right tabular-nums text-zinc-600 dark:text-zinc-400">
            {r.step.inputTokens !== null || r.step.outputTokens !== null
              ? (r.step.inputTokens ?? 0) + (r.step.outputTokens ?? 0)
              : ""}
          </span>
        </div>
      ))}
      {rows.length > limit && (
        <p className="px-4 py-3 text-xs text-zinc-500">
          Showing the first {limit.toLocaleString("en-US")} of {rows.length.toLocaleString("en-US")} steps.
        </p>
      )}
    </div>
  );
}
