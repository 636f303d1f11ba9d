"use client";

import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { RunDetail } from "@/lib/api/schemas";
import { buildDecisionGraph, causalAncestors } from "@/lib/graph/decision-graph";
import { Button } from "@/components/ui/button";
import { EdgeMarkers, GraphEdges } from "@/components/run-graph/graph-edges";
import { GraphGroups } from "@/components/run-graph/graph-groups";
import { GraphLegend } from "@/components/run-graph/graph-legend";
import { GraphNodeView } from "@/components/run-graph/graph-node";
import { markPath } from "@/components/run-graph/highlight";
import { neighbour } from "@/components/run-graph/navigation";
import { useGraphLayout } from "@/components/run-graph/use-graph-layout";
import { useZoom } from "@/components/run-graph/use-zoom";
import { fitTransform, initialTransform, type Rect, type Size, type ViewTransform } from "@/components/run-graph/viewport";
import { CULL_ABOVE, edgesIn, nextWindow, nodesIn, viewRect } from "@/components/run-graph/culling";

export type DecisionGraphProps = {
  detail: RunDetail;
  /** The step shown in the detail panel; a step inside a collapsed summary selects the summary. */
  selectedSpanId: string | null;
  onSelect(spanId: string): void;
  /** Ids of summaries the user opened (`loop:…`, `group:…`, `segment:…`). Keep the Set's identity stable between renders. */
  expanded: ReadonlySet<string>;
  /** Opens a summary node, or closes an opened loop/segment/agent (the id goes in or out of `expanded`). */
  onToggleExpand(id: string): void;
  /** Highlight the selected node's causal ancestors and fade the rest (default true). */
  highlightPath?: boolean;
  /** Visible nodes before agents and long stretches are summarized (default 1,500). */
  nodeBudget?: number;
  /** Size of the canvas; default `h-[560px]`. */
  className?: string;
};

/**
 * The run's causal decision graph (presentational: everything comes in as props).
 * Building is pure (lib/graph/decision-graph.ts) and memoized on detail/expanded;
 * layout runs in a worker for large graphs (use-graph-layout.ts) and never re-runs
 * on selection; pan and zoom bypass React (use-zoom.ts); a large graph draws only
 * what is near the view (culling.ts), plus the selected and focused nodes.
 */
export function DecisionGraph({
  detail,
  selectedSpanId,
  onSelect,
  expanded,
  onToggleExpand,
  highlightPath = true,
  nodeBudget,
  className = "h-[560px]",
}: DecisionGraphProps) {
  const graph = useMemo(() => buildDecisionGraph(detail, { expanded, nodeBudget }), [detail, expanded, nodeBudget]);
  const { placed, pending } = useGraphLayout(graph);
  const [drawWindow, setDrawWindow] = useState<Rect | null>(null);
  const onTransform = useCallback(
    (t: ViewTransform, view: Size) => setDrawWindow((current) => nextWindow(current, viewRect(t, view))),
    [],
  );
  const { svg, layer, apply, zoomBy, reveal, viewSize } = useZoom(onTransform);
  const markerPrefix = `arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;

  const selected = placed && selectedSpanId !== null ? (placed.graph.nodeOfSpan.get(selectedSpanId) ?? -1) : -1;
  const path = useMemo(
    () => (placed && highlightPath && selected >= 0 ? causalAncestors(placed.graph, placed.graph.nodes[selected]!.id) : null),
    [placed, highlightPath, selected],
  );
  const [focused, setFocused] = useState<number | null>(null);
  const count = placed?.graph.nodes.length ?? 0;
  const tabStop = focused !== null && focused < count ? focused : selected >= 0 ? selected : 0;

  // What is drawn: everything in a small graph; in a large one what is near the view, plus the
  // selected node and the keyboard's tab stop (so Tab, arrows and reveal always find them).
  const cull = count > CULL_ABOVE;
  const near = useMemo(
    () => (placed && cull ? (drawWindow ? nodesIn(placed.layout, drawWindow) : []) : null),
    [placed, cull, drawWindow],
  );
  const drawnEdges = useMemo(
    () => (placed && cull ? (drawWindow ? edgesIn(placed.layout, placed.graph.edges, drawWindow) : []) : null),
    [placed, cull, drawWindow],
  );
  const drawnNodes = useMemo(() => {
    if (!placed) return [];
    if (!near) return placed.graph.nodes.map((_, i) => i);
    const pins = [selected, tabStop].filter((i) => i >= 0 && i < count && !near.includes(i));
    return pins.length ? [...near, ...new Set(pins)] : near;
  }, [placed, near, selected, tabStop, count]);
  useEffect(() => markPath(layer.current, path), [layer, path, drawnNodes, drawnEdges]);

  // Callers need not memoize their callbacks: nodes get stable handlers that read the latest ones.
  const handlers = useRef({ onSelect, onToggleExpand });
  useEffect(() => {
    handlers.current = { onSelect, onToggleExpand };
  });

  const viewedRun = useRef<string | null>(null);
  useEffect(() => {
    if (!placed || !svg.current || viewedRun.current === detail.run.id) return;
    viewedRun.current = detail.run.id;
    apply(initialTransform(placed.layout, viewSize()), false);
  }, [placed, detail.run.id, apply, svg, viewSize]);

  const nodeRect = useCallback(
    (i: number) => {
      const { x, y, sizes } = placed!.layout;
      return { x: x[i]!, y: y[i]!, width: sizes.nodeWidth, height: sizes.nodeHeight };
    },
    [placed],
  );
  useEffect(() => {
    if (placed && selected >= 0) reveal(nodeRect(selected));
  }, [placed, selected, reveal, nodeRect]);

  const onActivate = useCallback(
    (i: number) => {
      const node = placed?.graph.nodes[i];
      if (!node) return;
      if (node.expandId) handlers.current.onToggleExpand(node.expandId);
      else handlers.current.onSelect(node.spanId);
    },
    [placed],
  );
  /** Keyboard focus (and Playwright's focus()) brings an off-screen node into view. */
  const onFocusNode = useCallback(
    (i: number) => {
      setFocused(i);
      if (placed && i < placed.graph.nodes.length) reveal(nodeRect(i));
    },
    [placed, reveal, nodeRect],
  );
  const focusRequest = useRef<number | null>(null);
  const onKey = useCallback(
    (e: KeyboardEvent<SVGGElement>, i: number) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onActivate(i);
        return;
      }
      const to = placed ? neighbour(placed, i, e.key) : null;
      if (to === null) return;
      e.preventDefault();
      const el = svg.current?.querySelector<SVGGElement>(`[data-node-index="${to}"]`);
      if (el) el.focus({ preventScroll: true });
      else {
        // Not drawn (culled): make it the tab stop, which draws it, and focus it after that render.
        focusRequest.current = to;
        setFocused(to);
      }
    },
    [placed, onActivate, svg],
  );
  useEffect(() => {
    if (focusRequest.current === null) return;
    svg.current?.querySelector<SVGGElement>(`[data-node-index="${focusRequest.current}"]`)?.focus({ preventScroll: true });
    focusRequest.current = null;
  });

  const layout = placed?.layout;
  return (
    <div className="flex flex-col gap-2">
      <div
        className={`relative overflow-hidden rounded-md border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950 ${className}`}
      >
        <svg
          ref={svg}
          role="group"
          aria-label="Decision graph"
          data-graph-ready={placed ? "true" : "false"}
          className="h-full w-full touch-none select-none"
        >
          <EdgeMarkers prefix={markerPrefix} />
          <g ref={layer} className="group/graph">
            {placed && <GraphGroups placed={placed} onToggleExpand={(id) => handlers.current.onToggleExpand(id)} />}
            {placed && <GraphEdges placed={placed} markerPrefix={markerPrefix} only={drawnEdges} />}
            {drawnNodes.map((i) => {
              const node = placed!.graph.nodes[i]!;
              return (
                <GraphNodeView
                  key={node.id}
                  node={node}
                  index={i}
                  x={layout!.x[i]!}
                  y={layout!.y[i]!}
                  width={layout!.sizes.nodeWidth}
                  height={layout!.sizes.nodeHeight}
                  selected={i === selected}
                  tabbable={i === tabStop}
                  onActivate={onActivate}
                  onKey={onKey}
                  onFocusNode={onFocusNode}
                />
              );
            })}
          </g>
        </svg>
        <p className="pointer-events-none absolute left-3 top-2 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
          {graphStatus(graph, pending)}
        </p>
        <div className="absolute right-2 top-2 flex gap-1">
          <Button variant="secondary" className="px-2 py-1 text-xs" aria-label="Zoom in" onClick={() => zoomBy(1.4)}>
            +
          </Button>
          <Button variant="secondary" className="px-2 py-1 text-xs" aria-label="Zoom out" onClick={() => zoomBy(1 / 1.4)}>
            −
          </Button>
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            disabled={!layout}
            onClick={() => layout && apply(fitTransform(layout, viewSize()))}
          >
            Fit to view
          </Button>
        </div>
      </div>
      <GraphLegend />
    </div>
  );
}

function graphStatus(graph: ReturnType<typeof buildDecisionGraph>, pending: boolean): string {
  if (graph.nodes.length === 0) return "No steps to draw yet.";
  const { collapsedLoops, collapsedGroups, segments } = graph.stats;
  const parts = [`${graph.nodes.length.toLocaleString("en-US")} nodes`];
  if (collapsedLoops) parts.push(`${collapsedLoops} loop${collapsedLoops === 1 ? "" : "s"} collapsed`);
  if (collapsedGroups) parts.push(`${collapsedGroups} agent${collapsedGroups === 1 ? "" : "s"} collapsed`);
  if (segments) parts.push(`${segments} segments`);
  if (pending) parts.push("laying out…");
  return parts.join(" · ");
}
