"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { WaterfallRow } from "@/lib/runs/waterfall";
import { formatDuration } from "@/lib/format";
import { BAR, KindBadge } from "@/components/run/kind-badge";

const ROW_HEIGHT = 30;
const GRID = "grid grid-cols-[minmax(0,3fr)_minmax(0,2fr)_4.5rem_4.5rem] items-center gap-3";

type Props = {
  rows: WaterfallRow[];
  selectedSpanId: string | null;
  onSelect(spanId: string): void;
  drifted: ReadonlySet<string>;
  /** Steps where a control command took effect (kill/pause), marked on their row. */
  marks?: ReadonlyMap<string, string>;
  height?: number;
};

/**
 * The run's waterfall, virtualized: only the rows in view are in the DOM, so a run of
 * 100,000 spans scrolls like one of 100. Rows are fixed-height; a step's causal links
 * are listed in its detail panel, not here.
 */
export function Timeline({ rows, selectedSpanId, onSelect, drifted, marks, height = 420 }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders on scroll by design
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const selectedIndex = selectedSpanId ? rows.findIndex((r) => r.step.spanId === selectedSpanId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: "auto" });
  }, [selectedIndex, virtualizer]);

  return (
    <div role="table" aria-label="Timeline" aria-rowcount={rows.length} className="text-sm">
      <div
        role="row"
        className={`${GRID} border-b border-zinc-200 px-4 py-2 text-[11px] font-medium uppercase tracking-wide text-zinc-500 dark:border-zinc-800`}
      >
        <span role="columnheader">Step</span>
        <span role="columnheader">Time</span>
        <span role="columnheader" className="text-right">
          Duration
        </span>
        <span role="columnheader" className="text-right">
          Tokens
        </span>
      </div>
      <div
        ref={scroller}
        style={{ height: Math.min(height, Math.max(rows.length, 2) * ROW_HEIGHT + 2) }}
        className="overflow-auto"
        tabIndex={-1}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            const s = r.step;
            const selected = s.spanId === selectedSpanId;
            const mark = marks?.get(s.spanId);
            return (
              <div
                role="row"
                key={s.spanId}
                aria-rowindex={item.index + 1}
                aria-selected={selected}
                data-span-id={s.spanId}
                onClick={() => onSelect(s.spanId)}
                style={{
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
                className={`${GRID} cursor-pointer border-b border-zinc-100 px-4 dark:border-zinc-800/60 ${
                  selected ? "bg-sky-50 dark:bg-sky-950/40" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/30"
                }`}
              >
                <div
                  role="cell"
                  className="flex min-w-0 items-center gap-2"
                  style={{ paddingLeft: `${Math.min(r.depth, 24) * 12}px` }}
                >
                  <KindBadge kind={s.kind} />
                  <button
                    type="button"
                    onClick={(e) => {
                      e.stopPropagation();
                      onSelect(s.spanId);
                    }}
                    className={`truncate text-left focus:outline-none focus-visible:underline ${s.status === "error" ? "text-red-600 dark:text-red-400" : ""}`}
                    title={s.statusMessage ? `${s.name}: ${s.statusMessage}` : s.name}
                  >
                    {s.name}
                  </button>
                  {s.model && <span className="truncate text-xs text-zinc-500">{s.model}</span>}
                  {drifted.has(s.spanId) && (
                    <span className="shrink-0 rounded bg-orange-100 px-1 text-[10px] font-medium text-orange-800 dark:bg-orange-950 dark:text-orange-300">
                      drift
                    </span>
                  )}
                  {mark && (
                    <span className="shrink-0 rounded bg-red-600 px-1 text-[10px] font-medium text-white" title={mark}>
                      {mark}
                    </span>
                  )}
                </div>
                <div role="cell" className="relative h-2.5 rounded bg-zinc-100 dark:bg-zinc-800/60">
                  <div
                    className={`absolute top-0 h-2.5 rounded ${BAR[s.kind]} ${s.status === "error" ? "ring-2 ring-red-500" : ""} ${
                      s.endNs === null ? "animate-pulse" : ""
                    }`}
                    style={{ left: `${r.offset * 100}%`, width: `max(2px, ${r.width * 100}%)` }}
                  />
                </div>
                <span role="cell" className="text-right text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                  {s.endNs === null ? "running" : formatDuration(r.durationMs)}
                </span>
                <span role="cell" className="text-right text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                  {s.inputTokens !== null || s.outputTokens !== null ? (s.inputTokens ?? 0) + (s.outputTokens ?? 0) : ""}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
