import { memo, type KeyboardEvent } from "react";
import type { GraphNode } from "@/lib/graph/decision-graph";
import { DRIFT_TONE, ERROR_STROKE, NODE_STYLE } from "@/components/run-graph/styles";

export type NodeState = { selected: boolean; tabbable: boolean };

type Props = NodeState & {
  node: GraphNode;
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  onActivate(index: number): void;
  onKey(event: KeyboardEvent<SVGGElement>, index: number): void;
  onFocusNode(index: number): void;
};

/**
 * One node: a `<g role="button">` named by its aria-label ("decision gpt-4o, chose
 * get_weather"), with the span id on `data-span-id`. Memoized on its own state, so
 * a selection change re-renders only the two nodes whose selection changed (the
 * highlighted path is marked on the DOM: highlight.ts).
 */
export const GraphNodeView = memo(function GraphNodeView(p: Props) {
  const { node, width: w, height: h } = p;
  const style = NODE_STYLE[node.kind];
  const summary = node.expandId !== null;
  const stroke = node.error ? ERROR_STROKE : style.stroke;
  const drift = node.driftSeverity ? DRIFT_TONE[node.driftSeverity] : null;
  return (
    <g
      role="button"
      tabIndex={p.tabbable ? 0 : -1}
      aria-label={node.ariaLabel}
      aria-pressed={summary ? undefined : p.selected}
      aria-expanded={summary ? false : undefined}
      data-span-id={node.spanId}
      data-node-id={node.id}
      data-node-index={p.index}
      data-kind={node.kind}
      transform={`translate(${p.x},${p.y})`}
      className="group cursor-pointer outline-none group-data-[path-active]/graph:not-data-[on-path]:opacity-40"
      onClick={() => p.onActivate(p.index)}
      onKeyDown={(e) => p.onKey(e, p.index)}
      onFocus={() => p.onFocusNode(p.index)}
    >
      <title>{[node.label, node.detail].filter(Boolean).join(" — ")}</title>
      {summary && <rect x={4} y={-4} width={w} height={h} rx={style.rx} className={`${style.fill} ${stroke}`} />}
      {drift && (
        <rect
          x={-4}
          y={-4}
          width={w + 8}
          height={h + 8}
          rx={style.rx + 4}
          strokeWidth={2.5}
          className={`fill-none ${drift.stroke}`}
        />
      )}
      <rect
        width={w}
        height={h}
        rx={style.rx}
        strokeWidth={node.error ? 2 : 1.25}
        strokeDasharray={node.kind === "handoff" ? "5 3" : undefined}
        className={`${style.fill} ${stroke} ${p.selected ? "[stroke-width:3]" : "group-data-[on-path]:[stroke-width:2]"}`}
      />
      {p.selected && (
        <rect
          x={-6}
          y={-6}
          width={w + 12}
          height={h + 12}
          rx={style.rx + 6}
          strokeWidth={2}
          className="fill-none stroke-sky-500"
        />
      )}
      <rect
        x={-3}
        y={-3}
        width={w + 6}
        height={h + 6}
        rx={style.rx + 3}
        strokeWidth={2}
        className="fill-none stroke-sky-600 opacity-0 group-focus-visible:opacity-100 dark:stroke-sky-300"
      />
      <text x={12} y={17} className="fill-zinc-900 text-[12px] font-medium dark:fill-zinc-100">
        {clip(node.label, (w - 24) / 7)}
      </text>
      <text x={12} y={31} className="fill-zinc-500 text-[10px] dark:fill-zinc-400">
        <tspan className="font-semibold tracking-wide">{style.tag}</tspan>
        {node.detail ? ` ${clip(node.detail, (w - 24) / 5.6 - style.tag.length - 1)}` : ""}
      </text>
      {summary && (
        <text x={w - 10} y={17} textAnchor="end" className="fill-zinc-500 text-[13px] font-semibold dark:fill-zinc-400">
          +
        </text>
      )}
      {drift && (
        <g transform={`translate(${w},0)`}>
          <circle r={8} className={drift.fill} />
          <text y={3.5} textAnchor="middle" className="fill-white text-[10px] font-bold">
            {node.drift > 99 ? "99+" : node.drift}
          </text>
        </g>
      )}
    </g>
  );
});

/** Cuts text to about `chars` characters with an ellipsis (labels come from spans: text only, never markup). */
export function clip(text: string, chars: number): string {
  const max = Math.max(4, Math.floor(chars));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
