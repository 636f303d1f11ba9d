"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { DecisionGraph } from "@/lib/graph/decision-graph";
import { layoutGraph, layoutInputOf, type GraphLayout } from "@/lib/graph/layout";
import { createLayoutClient, type LayoutClient, type LayoutWorker } from "@/components/run-graph/layout-client";

/** A graph with the layout computed for it (never a layout of another graph). */
export type PlacedGraph = { graph: DecisionGraph; layout: GraphLayout };

/**
 * Small graphs lay out in a few milliseconds, synchronously: no flash of an empty
 * canvas and no worker round trip. Larger ones go to the worker; while a new
 * layout is computed the previous picture stays up (`pending` is true).
 */
const MAIN_THREAD_LIMIT = 300;

function createLayoutWorker(): LayoutWorker {
  return new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" }) as unknown as LayoutWorker;
}

export function useGraphLayout(graph: DecisionGraph): { placed: PlacedGraph | null; pending: boolean } {
  const small = graph.nodes.length <= MAIN_THREAD_LIMIT;
  const input = useMemo(() => (small ? null : layoutInputOf(graph)), [graph, small]);
  const sync = useMemo(() => (small ? { graph, layout: layoutGraph(layoutInputOf(graph)) } : null), [graph, small]);
  const [fromWorker, setFromWorker] = useState<PlacedGraph | null>(null);
  const client = useRef<LayoutClient | null>(null);

  useEffect(
    () => () => {
      client.current?.dispose();
      client.current = null;
    },
    [],
  );
  useEffect(() => {
    if (!input) return;
    let live = true;
    client.current ??= createLayoutClient(createLayoutWorker);
    void client.current.request(input).then((layout) => {
      if (live && layout) setFromWorker({ graph, layout });
    });
    return () => {
      live = false;
    };
  }, [graph, input]);

  const placed = sync ?? fromWorker;
  return { placed, pending: placed?.graph !== graph };
}
