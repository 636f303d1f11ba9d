/** The parts of a DecisionGraph the walk reads (declared here: decision-graph.ts re-exports this module). */
type Walkable = {
  nodes: readonly { id: string }[];
  edges: readonly { id: string; from: number }[];
  indexOf: ReadonlyMap<string, number>;
  incomingStart: Int32Array;
  incomingEdges: Int32Array;
};

/**
 * Everything that led to a node: the node, the nodes with a path to it and the
 * edges on those paths, by walking incoming edges backwards. Iterative with an
 * explicit stack (runs reach 100k steps, a chain that long overflows recursion),
 * and each node is visited once, so the cost is the size of the answer.
 */
export function causalAncestors(graph: Walkable, nodeId: string): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const start = graph.indexOf.get(nodeId);
  if (start === undefined) return { nodes, edges };
  const seen = new Uint8Array(graph.nodes.length);
  const stack = [start];
  seen[start] = 1;
  while (stack.length) {
    const v = stack.pop()!;
    nodes.add(graph.nodes[v]!.id);
    for (let k = graph.incomingStart[v]!; k < graph.incomingStart[v + 1]!; k++) {
      const e = graph.edges[graph.incomingEdges[k]!]!;
      edges.add(e.id);
      if (!seen[e.from]) {
        seen[e.from] = 1;
        stack.push(e.from);
      }
    }
  }
  return { nodes, edges };
}
