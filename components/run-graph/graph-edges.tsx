import { memo, useMemo } from "react";
import { linkHorizontal } from "d3";
import type { GraphLayout } from "@/lib/graph/layout";
import type { PlacedGraph } from "@/components/run-graph/use-graph-layout";
import { EDGE_KINDS, EDGE_STYLE } from "@/components/run-graph/styles";

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();

/** Arrow heads, one per edge kind: a marker takes its colour from its own element, not from the path using it. */
export function EdgeMarkers({ prefix }: { prefix: string }) {
  return (
    <defs>
      {EDGE_KINDS.map((kind) => (
        <marker
          key={kind}
          id={`${prefix}-${kind}`}
          viewBox="0 0 10 10"
          refX={9}
          refY={5}
          markerWidth={7}
          markerHeight={7}
          orient="auto-start-reverse"
          className={EDGE_STYLE[kind].color}
        >
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
        </marker>
      ))}
    </defs>
  );
}

/**
 * Every edge as a path with `data-edge-kind` and the span ids of its ends
 * (`data-from`, `data-to`). Paths are computed once per layout and a selection
 * does not re-render them: highlight.ts marks the path's edges, CSS fades the rest.
 */
export const GraphEdges = memo(function GraphEdges({
  placed,
  markerPrefix,
  only,
}: {
  placed: PlacedGraph;
  markerPrefix: string;
  /** Indices of the edges to draw (viewport culling, culling.ts); all when null. */
  only: readonly number[] | null;
}) {
  const { graph, layout } = placed;
  const d = useMemo(() => graph.edges.map((e) => edgePath(layout, e.from, e.to)), [graph, layout]);
  return (
    <g fill="none">
      {(only ?? graph.edges.map((_, k) => k)).map((k) => {
        const e = graph.edges[k]!;
        const style = EDGE_STYLE[e.kind];
        return (
          <path
            key={e.id}
            d={d[k]}
            data-edge-id={e.id}
            data-edge-kind={e.kind}
            data-from={graph.nodes[e.from]!.spanId}
            data-to={graph.nodes[e.to]!.spanId}
            className={`${style.color} stroke-current group-data-[path-active]/graph:not-data-[on-path]:opacity-20 data-[on-path]:opacity-100 data-[on-path]:[stroke-width:2.5]`}
            strokeWidth={style.faint ? 1 : 1.5}
            strokeDasharray={style.dash}
            opacity={style.faint ? 0.7 : 0.9}
            markerEnd={`url(#${markerPrefix}-${e.kind})`}
          />
        );
      })}
    </g>
  );
});

/**
 * Right side of one node to the left side of the other. An edge along a row that
 * skips columns arcs over the nodes in between, which it would otherwise run
 * behind (and seem to connect).
 */
export function edgePath(layout: GraphLayout, from: number, to: number): string {
  const { nodeWidth: w, nodeHeight: h, columnGap } = layout.sizes;
  const x1 = layout.x[from]! + w;
  const y1 = layout.y[from]! + h / 2;
  const x2 = layout.x[to]! - 2;
  const y2 = layout.y[to]! + h / 2;
  if (Math.abs(y1 - y2) < 1 && x2 - x1 > w + columnGap) {
    const lift = h;
    return `M${x1},${y1}C${x1 + columnGap},${y1 - lift} ${x2 - columnGap},${y2 - lift} ${x2},${y2}`;
  }
  return link({ source: [x1, y1], target: [x2, y2] }) ?? "";
}
