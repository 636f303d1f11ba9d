"use client";

import { line, scaleLinear } from "d3";
import { useMemo, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { ContextPoint } from "@/lib/api/step-schemas";
import { contextSizeSeries, nearestPoint, thinForColumns, type SizePoint, type SizeUnit } from "@/lib/context/size-series";
import { formatBytes } from "@/lib/context/summary";
import { formatCount } from "@/lib/format";

export type ContextSizeChartProps = {
  /** GET /api/v1/runs/{runId}/context → points (one per model call, in start order). */
  points: ContextPoint[];
  /** The open step, marked on the chart. */
  currentSpanId?: string | null;
  /** Called with the span id of a clicked (or keyboard-activated) point. */
  onSelect?: (spanId: string) => void;
  /** Drawing height in SVG units (the width follows the container). */
  height?: number;
};

const WIDTH = 600;
const MARGIN = { top: 18, right: 10, bottom: 18, left: 44 };
/** Above this many calls, points are not drawn one by one: a click picks the nearest call. */
const MAX_DOTS = 300;
const STROKES = [
  "stroke-violet-500",
  "stroke-sky-500",
  "stroke-amber-500",
  "stroke-emerald-500",
  "stroke-rose-500",
  "stroke-zinc-500",
];
const FILLS = ["fill-violet-500", "fill-sky-500", "fill-amber-500", "fill-emerald-500", "fill-rose-500", "fill-zinc-500"];

const formatValue = (unit: SizeUnit, v: number) => (unit === "tokens" ? `${formatCount(v)} tokens` : formatBytes(v));

/**
 * Context size per model call (input tokens when every call reported them, else stored KB), one line per
 * agent, the open step marked; points are clickable. SVG drawn with d3 scales and line generator.
 */
export function ContextSizeChart({ points, currentSpanId, onSelect, height = 160 }: ContextSizeChartProps) {
  const [hover, setHover] = useState<SizePoint | null>(null);
  // Everything that depends on the points only is computed once per series, not on each selection or hover:
  // a run can have 50k model calls.
  const { series, x, y, paths, agentColor, bySpan } = useMemo(() => {
    const series = contextSizeSeries(points);
    const last = Math.max(1, series.points.length - 1);
    const x = scaleLinear()
      .domain([0, last])
      .range([MARGIN.left, WIDTH - MARGIN.right]);
    const y = scaleLinear()
      .domain([0, series.max || 1])
      .nice()
      .range([height - MARGIN.bottom, MARGIN.top]);
    const path = line<SizePoint>()
      .x((p) => x(p.index))
      .y((p) => y(p.value));
    const columns = WIDTH - MARGIN.left - MARGIN.right;
    return {
      series,
      x,
      y,
      paths: series.lines.map((l) => path(thinForColumns(l.points, columns, [0, last])) ?? ""),
      agentColor: new Map(series.lines.map((l, i) => [l.agent, i % STROKES.length])),
      bySpan: new Map(series.points.map((p) => [p.spanId, p])),
    };
  }, [points, height]);
  if (series.points.length === 0)
    return <p className="text-xs text-zinc-500">No model calls in this run, so no context to chart.</p>;

  const current = (currentSpanId && bySpan.get(currentSpanId)) || null;
  const label = (p: SizePoint) =>
    `model call ${p.index + 1}${p.agent ? ` (${p.agent})` : ""}: ${formatValue(series.unit, p.value)}, ${p.messageCount} messages`;
  const shown = hover ?? current;

  const pick = (e: MouseEvent<SVGRectElement>) => {
    const rect = e.currentTarget.ownerSVGElement!.getBoundingClientRect();
    return nearestPoint(series, x.invert(((e.clientX - rect.left) * WIDTH) / rect.width));
  };
  const onKey = (p: SizePoint) => (e: KeyboardEvent) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      onSelect?.(p.spanId);
    }
  };

  return (
    <figure aria-label="Context size per step" className="space-y-1">
      <figcaption className="flex flex-wrap items-center gap-3 text-xs text-zinc-500">
        <span>Context size per model call ({series.unit === "tokens" ? "input tokens" : "stored bytes"})</span>
        {series.lines.length > 1 &&
          series.lines.map((l) => (
            <span key={l.agent ?? ""} className="inline-flex items-center gap-1">
              <svg width="10" height="10" aria-hidden>
                <circle cx="5" cy="5" r="4" className={FILLS[agentColor.get(l.agent)!]} />
              </svg>
              {l.agent ?? "no agent"}
            </span>
          ))}
        <span className="ml-auto tabular-nums" aria-live="polite">
          {shown ? label(shown) : ""}
        </span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        className="h-auto w-full text-zinc-400"
        role="group"
        aria-label="Context size chart"
      >
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line
              x1={MARGIN.left}
              x2={WIDTH - MARGIN.right}
              y1={y(t)}
              y2={y(t)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
            />
            <text x={MARGIN.left - 4} y={y(t)} dy="0.32em" textAnchor="end" className="fill-current text-[9px]">
              {series.unit === "tokens" ? formatCount(t) : formatBytes(t)}
            </text>
          </g>
        ))}
        <text x={MARGIN.left} y={height - 4} className="fill-current text-[9px]">
          1
        </text>
        <text x={WIDTH - MARGIN.right} y={height - 4} textAnchor="end" className="fill-current text-[9px]">
          {series.points.length} calls
        </text>
        {current && (
          <line
            x1={x(current.index)}
            x2={x(current.index)}
            y1={MARGIN.top}
            y2={height - MARGIN.bottom}
            className="stroke-zinc-900 dark:stroke-zinc-100"
            strokeDasharray="3 3"
          />
        )}
        {series.lines.map((l, i) => (
          <path key={l.agent ?? ""} d={paths[i]} fill="none" strokeWidth={1.5} className={STROKES[agentColor.get(l.agent)!]} />
        ))}
        {series.points.length > MAX_DOTS && (
          <rect
            x={MARGIN.left}
            y={MARGIN.top}
            width={WIDTH - MARGIN.left - MARGIN.right}
            height={height - MARGIN.top - MARGIN.bottom}
            fill="transparent"
            className={onSelect ? "cursor-pointer" : ""}
            onPointerMove={(e) => setHover(pick(e))}
            onPointerLeave={() => setHover(null)}
            onClick={(e) => {
              const p = pick(e);
              if (p) onSelect?.(p.spanId);
            }}
          />
        )}
        {(series.points.length <= MAX_DOTS ? series.points : current ? [current] : []).map((p) => {
          const isCurrent = p.spanId === current?.spanId;
          return (
            <circle
              key={p.spanId}
              cx={x(p.index)}
              cy={y(p.value)}
              r={isCurrent ? 5 : 3}
              role="button"
              tabIndex={onSelect ? 0 : -1}
              aria-label={label(p)}
              aria-current={isCurrent ? "step" : undefined}
              data-span-id={p.spanId}
              className={`${FILLS[agentColor.get(p.agent)!]} ${isCurrent ? "stroke-zinc-900 dark:stroke-zinc-100" : ""} ${onSelect ? "cursor-pointer" : ""} focus:outline-none focus-visible:stroke-sky-500`}
              strokeWidth={isCurrent ? 2 : 0}
              onClick={() => onSelect?.(p.spanId)}
              onKeyDown={onKey(p)}
              onPointerEnter={() => setHover(p)}
              onPointerLeave={() => setHover(null)}
            />
          );
        })}
      </svg>
    </figure>
  );
}
