import { memo, type KeyboardEvent } from "react";
import type { PlacedGraph } from "@/components/run-graph/use-graph-layout";
import { clip } from "@/components/run-graph/graph-node";

/**
 * Agent boxes (containment) behind the nodes, labelled with the agent's name, and
 * brackets around loops/segments the user opened. Boxes and brackets the user
 * opened carry a small "collapse" button.
 */
export const GraphGroups = memo(function GraphGroups({
  placed,
  onToggleExpand,
}: {
  placed: PlacedGraph;
  onToggleExpand(id: string): void;
}) {
  const { graph, layout } = placed;
  return (
    <g>
      {graph.groups.map((group, i) => {
        const [x, y, w, h] = layout.groupBox.subarray(4 * i, 4 * i + 4);
        if (x === undefined || Number.isNaN(x)) return null;
        return (
          <g key={group.id} data-group-id={group.id} aria-label={`agent ${group.label}`} role="group">
            <rect
              x={x}
              y={y}
              width={w}
              height={h}
              rx={12}
              className={
                group.depth % 2
                  ? "fill-white/80 stroke-zinc-300 dark:fill-zinc-900/70 dark:stroke-zinc-700"
                  : "fill-zinc-100/70 stroke-zinc-300 dark:fill-zinc-800/40 dark:stroke-zinc-700"
              }
            />
            <text x={x + 12} y={y! + 16} className="fill-zinc-500 text-[11px] font-semibold dark:fill-zinc-400">
              {clip(group.label, (w! - (group.userExpanded ? 44 : 24)) / 6.5)}
            </text>
            {group.userExpanded && (
              <CollapseButton
                x={x + w! - 24}
                y={y! + 4}
                label={`collapse agent ${group.label}`}
                onPress={() => onToggleExpand(group.id)}
              />
            )}
          </g>
        );
      })}
      {graph.regions.map((region) => {
        const { sizes } = layout;
        let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
        for (const n of region.nodes) {
          x0 = Math.min(x0, layout.x[n]!);
          y0 = Math.min(y0, layout.y[n]!);
          x1 = Math.max(x1, layout.x[n]! + sizes.nodeWidth);
          y1 = Math.max(y1, layout.y[n]! + sizes.nodeHeight);
        }
        return (
          <g key={region.id} data-region-id={region.id}>
            <rect
              x={x0 - 10}
              y={y0 - 22}
              width={x1 - x0 + 20}
              height={y1 - y0 + 32}
              rx={10}
              strokeDasharray="5 4"
              className="fill-violet-50/40 stroke-violet-300 dark:fill-violet-950/20 dark:stroke-violet-700"
            />
            <text x={x0 - 2} y={y0 - 8} className="fill-violet-600 text-[10px] font-semibold dark:fill-violet-300">
              {region.label}
            </text>
            <CollapseButton
              x={x1 - 10}
              y={y0 - 20}
              label={`collapse ${region.label}`}
              onPress={() => onToggleExpand(region.id)}
            />
          </g>
        );
      })}
    </g>
  );
});

function CollapseButton({ x, y, label, onPress }: { x: number; y: number; label: string; onPress(): void }) {
  const onKeyDown = (e: KeyboardEvent<SVGGElement>) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    e.preventDefault();
    onPress();
  };
  return (
    <g
      role="button"
      tabIndex={0}
      aria-label={label}
      transform={`translate(${x},${y})`}
      className="group cursor-pointer outline-none"
      onClick={onPress}
      onKeyDown={onKeyDown}
    >
      <title>{label}</title>
      <rect
        width={18}
        height={16}
        rx={4}
        className="fill-white stroke-zinc-300 group-hover:stroke-zinc-500 group-focus-visible:stroke-sky-500 dark:fill-zinc-900 dark:stroke-zinc-600"
      />
      <text x={9} y={12} textAnchor="middle" className="fill-zinc-600 text-[12px] font-bold dark:fill-zinc-300">
        −
      </text>
    </g>
  );
}
