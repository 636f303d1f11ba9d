import type { PlacedGraph } from "@/components/run-graph/use-graph-layout";

/**
 * Arrow-key moves between nodes (one tab stop for the whole graph, roving focus):
 * → follows the node's first outgoing edge (what it caused), ← its first incoming
 * edge (what caused it), ↑/↓ the nearest node above/below in the same column,
 * Home/End the first/last node. Returns null for other keys or when there is
 * nowhere to go.
 */
export function neighbour({ graph, layout }: PlacedGraph, from: number, key: string): number | null {
  const n = graph.nodes.length;
  if (n === 0) return null;
  switch (key) {
    case "Home":
      return 0;
    case "End":
      return n - 1;
    case "ArrowRight": {
      const e = graph.edges.find((x) => x.from === from && x.kind !== "sequence") ?? graph.edges.find((x) => x.from === from);
      return e ? e.to : null;
    }
    case "ArrowLeft": {
      const start = graph.incomingStart[from]!;
      const end = graph.incomingStart[from + 1]!;
      let pick: number | null = null;
      for (let k = start; k < end; k++) {
        const e = graph.edges[graph.incomingEdges[k]!]!;
        if (pick === null || e.kind !== "sequence") pick = e.from;
        if (e.kind !== "sequence") break;
      }
      return pick;
    }
    case "ArrowUp":
    case "ArrowDown": {
      const down = key === "ArrowDown";
      let best: number | null = null;
      for (let i = 0; i < n; i++) {
        if (layout.x[i] !== layout.x[from]) continue;
        const dy = layout.y[i]! - layout.y[from]!;
        if (down ? dy <= 0 : dy >= 0) continue;
        if (best === null || Math.abs(dy) < Math.abs(layout.y[best]! - layout.y[from]!)) best = i;
      }
      return best;
    }
    default:
      return null;
  }
}
