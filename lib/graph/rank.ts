import { IndexHeap } from "@/lib/graph/heap";

/**
 * Columns (ranks) of the decision graph, left to right in causal and time order:
 * a node sits right of every node with an edge into it, and right of every node
 * that had ended before it started. Steps that overlap in time (parallel tool calls,
 * concurrent agents) share a column, so the graph is as wide as the run's longest
 * chain of things that happened one after another — reading left to right is
 * reading the run in order, across all agent bands.
 *
 * Kahn's topological order with the earliest ready node first (nodes come in time
 * order), a heap of finished nodes by end time for the "ended before" rule, and a
 * cycle (clock skew in hostile data) broken by taking the earliest unplaced node.
 * O((n + e) log n), no recursion.
 */
export function assignRanks(
  t0: Float64Array,
  t1: Float64Array,
  edgeFrom: Int32Array,
  edgeTo: Int32Array,
): { rank: Int32Array; columns: number } {
  const n = t0.length;
  const outStart = new Int32Array(n + 1);
  const indegree = new Int32Array(n);
  for (let k = 0; k < edgeFrom.length; k++) {
    if (edgeFrom[k] === edgeTo[k]) continue;
    outStart[edgeFrom[k]! + 1]!++;
    indegree[edgeTo[k]!]!++;
  }
  for (let i = 0; i < n; i++) outStart[i + 1]! += outStart[i]!;
  const fill = outStart.slice(0, n);
  const out = new Int32Array(outStart[n]!);
  for (let k = 0; k < edgeFrom.length; k++) if (edgeFrom[k] !== edgeTo[k]) out[fill[edgeFrom[k]!]!++] = edgeTo[k]!;

  const rank = new Int32Array(n);
  const atLeast = new Int32Array(n);
  const placed = new Uint8Array(n);
  const ready = new IndexHeap((a, b) => a < b);
  const running = new IndexHeap((a, b) => t1[a]! < t1[b]! || (t1[a] === t1[b] && a < b));
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  let endedMax = -1;
  let columns = 0;
  let earliest = 0;
  for (let done = 0; done < n;) {
    let v = ready.pop();
    if (v === undefined) {
      while (placed[earliest]) earliest++;
      v = earliest;
    }
    if (placed[v]) continue;
    placed[v] = 1;
    done++;
    for (let top = running.peek(); top !== undefined && t1[top]! <= t0[v]!; top = running.peek()) {
      endedMax = Math.max(endedMax, rank[running.pop()!]!);
    }
    const r = Math.max(endedMax + 1, atLeast[v]!);
    rank[v] = r;
    columns = Math.max(columns, r + 1);
    if (!Number.isNaN(t1[v]!)) running.push(v);
    for (let k = outStart[v]!; k < outStart[v + 1]!; k++) {
      const w = out[k]!;
      if (placed[w]) continue;
      if (atLeast[w]! < r + 1) atLeast[w] = r + 1;
      if (--indegree[w]! === 0) ready.push(w);
    }
  }
  return { rank, columns };
}
