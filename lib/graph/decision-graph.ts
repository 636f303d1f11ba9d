import type { RunDetail } from "@/lib/api/schemas";
import { planCollapse, segmentLabel, DEFAULT_NODE_BUDGET, type Summary } from "@/lib/graph/collapse";
import { collectItems, SEVERITIES, type EdgeKind, type PlainKind, type Severity } from "@/lib/graph/graph-items";
import { implicitEdges } from "@/lib/graph/implicit-edges";
import { plainLabel, statusSuffix, stepsWord } from "@/lib/graph/node-labels";

export { causalAncestors } from "@/lib/graph/ancestors";
export { DEFAULT_NODE_BUDGET } from "@/lib/graph/collapse";
export type { EdgeKind, Severity } from "@/lib/graph/graph-items";

/**
 * The run's causal decision graph, as the run page draws it (pure; layout.ts places it).
 *
 * Nodes: every `llm` step is a decision (showing the tools it chose), every `tool`
 * step a tool, every `agent` step an agent node, every step with `handoffTo` a
 * handoff, and `retrieval`/`guardrail` steps are nodes of their own. `chain`/`other`
 * steps are scaffolding in every SDK we normalize (AI SDK v7 `step N`, Mastra
 * `model_step`, OpenAI Agents `turn`): they become nodes only when a causal edge starts
 * or ends on them, and groups only when they name an agent their enclosing agent does not —
 * otherwise they would add a box per model turn and say nothing.
 *
 * Groups: each agent step (and agent-like chain) is a box holding the nodes below
 * it up to the next agent; the agent's own node is the first node in its box.
 *
 * Edges: the causal edges of causal.ts (tool_call, tool_result, handoff), plus
 * implicit `sequence` and `invoke` edges (implicit-edges.ts) drawn fainter. One edge
 * per ordered node pair — after collapsing, a recorded edge wins over an implied one.
 *
 * Collapsing (collapse.ts): repeated loops and, beyond `nodeBudget` visible nodes,
 * whole agents and long stretches become summary nodes; `expanded` reopens them.
 *
 * Flow: RunDetail -> collectItems (graph-items.ts) -> implicitEdges -> planCollapse
 * -> this graph -> layoutGraph (layout.ts, in a worker) -> components/run-graph.
 */
export type NodeKind = PlainKind | "loop" | "group" | "segment";

export type GraphNode = {
  /** The span id for a step's own node; `loop:…`, `group:…`, `segment:…` for summaries. */
  id: string;
  kind: NodeKind;
  /** The step the node stands for; for a summary, its first step. */
  spanId: string;
  label: string;
  detail: string | null;
  ariaLabel: string;
  /** Index into `groups`; -1 for the run level. */
  group: number;
  error: boolean;
  drift: number;
  driftSeverity: Severity | null;
  /** How many steps the node stands for. */
  steps: number;
  /** Summaries: the id to hand to onToggleExpand. */
  expandId: string | null;
  /** ns since the run's first step; t1 NaN while open. */
  t0: number;
  t1: number;
};
export type GraphEdge = { id: string; kind: EdgeKind; from: number; to: number };
export type GraphGroup = { id: string; spanId: string; label: string; parent: number; depth: number; userExpanded: boolean };
/** A loop or segment the user opened: its nodes, so the UI can draw a bracket that closes it. */
export type GraphRegion = { id: string; kind: "loop" | "segment"; label: string; nodes: number[] };

export type DecisionGraph = {
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
  regions: GraphRegion[];
  indexOf: Map<string, number>;
  /** Any step that is drawn (itself or inside a summary) -> node index. */
  nodeOfSpan: Map<string, number>;
  /** Incoming edges of node i: incomingEdges[incomingStart[i] .. incomingStart[i + 1]). */
  incomingStart: Int32Array;
  incomingEdges: Int32Array;
  stats: { steps: number; collapsedLoops: number; collapsedGroups: number; segments: number };
};

export type DecisionGraphOptions = { expanded?: ReadonlySet<string>; nodeBudget?: number };

const PRECEDENCE: Record<EdgeKind, number> = { tool_call: 3, tool_result: 3, handoff: 3, invoke: 2, sequence: 1 };

export function buildDecisionGraph(
  detail: Pick<RunDetail, "steps" | "edges" | "driftPoints">,
  { expanded = new Set(), nodeBudget = DEFAULT_NODE_BUDGET }: DecisionGraphOptions = {},
): DecisionGraph {
  const base = collectItems(detail);
  const itemGraph = { ...base, edges: [...base.edges, ...implicitEdges(base.items, base.groups, base.edges)] };
  const { items, groups: allGroups } = itemGraph;
  const plan = planCollapse(itemGraph, expanded, nodeBudget);

  // Boxes: visible groups with at least one node inside (parents precede children in allGroups).
  const content = new Uint8Array(allGroups.length);
  const groupIndex = new Int32Array(allGroups.length).fill(-1);
  const summaryGroup = (s: Summary) => (s.kind === "group" ? allGroups[s.group]!.parent : s.group);
  for (let i = 0; i < items.length; i++) {
    const s = plan.summaryOf[i]!;
    const g = s < 0 ? items[i]!.group : summaryGroup(plan.summaries[s]!);
    if (g >= 0) content[g] = 1;
  }
  for (let g = allGroups.length - 1; g >= 0; g--) if (content[g] && allGroups[g]!.parent >= 0) content[allGroups[g]!.parent] = 1;
  const groups: GraphGroup[] = [];
  for (let g = 0; g < allGroups.length; g++) {
    if (plan.hiddenGroup[g] || !content[g]) continue;
    const src = allGroups[g]!;
    groupIndex[g] = groups.length;
    const id = `group:${src.step.spanId}`;
    const parent = src.parent >= 0 ? groupIndex[src.parent]! : -1;
    groups.push({ id, spanId: src.step.spanId, label: src.label, parent, depth: src.depth, userExpanded: expanded.has(id) });
  }

  const nodes: GraphNode[] = [];
  const nodeOfItem = new Int32Array(items.length);
  const nodeOfSummary = new Int32Array(plan.summaries.length).fill(-1);
  const toolsOfSummary: Map<string, number>[] = plan.summaries.map(() => new Map());
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const s = plan.summaryOf[i]!;
    if (s >= 0 && item.kind === "tool") {
      const name = item.step.toolName ?? item.step.name;
      toolsOfSummary[s]!.set(name, (toolsOfSummary[s]!.get(name) ?? 0) + 1);
    }
    if (s >= 0 && nodeOfSummary[s]! >= 0) {
      const node = nodes[(nodeOfItem[i] = nodeOfSummary[s]!)]!;
      node.steps++;
      node.error ||= item.step.status === "error";
      node.drift += item.drift;
      if (item.severity > SEVERITIES.indexOf(node.driftSeverity!) + 1) node.driftSeverity = SEVERITIES[item.severity - 1]!;
      node.t1 = Number.isNaN(node.t1) || Number.isNaN(item.t1) ? NaN : Math.max(node.t1, item.t1);
      continue;
    }
    nodeOfItem[i] = nodes.length;
    if (s >= 0) nodeOfSummary[s] = nodes.length;
    const words = s < 0 ? plainLabel(item) : null;
    const summary = s < 0 ? null : plan.summaries[s]!;
    nodes.push({
      id: summary ? summary.id : item.step.spanId,
      kind: summary ? summary.kind : item.kind,
      spanId: item.step.spanId,
      label: words?.label ?? "",
      detail: words?.detail ?? null,
      ariaLabel: words?.aria ?? "",
      group: visibleGroup(summary ? summaryGroup(summary) : item.group, allGroups, groupIndex),
      error: item.step.status === "error",
      drift: item.drift,
      driftSeverity: item.severity ? SEVERITIES[item.severity - 1]! : null,
      steps: 1,
      expandId: summary ? summary.id : null,
      t0: item.t0,
      t1: item.t1,
    });
  }
  for (let s = 0; s < plan.summaries.length; s++)
    nameSummary(nodes[nodeOfSummary[s]!]!, plan.summaries[s]!, allGroups, toolsOfSummary[s]!);
  for (const node of nodes) node.ariaLabel += statusSuffix(node.error, node.drift);

  const edges = visibleEdges(itemGraph.edges, nodeOfItem, nodes);
  const { incomingStart, incomingEdges } = incoming(nodes.length, edges);
  const nodeOfSpan = new Map<string, number>();
  for (let i = 0; i < items.length; i++) nodeOfSpan.set(items[i]!.step.spanId, nodeOfItem[i]!);
  const regions: GraphRegion[] = [];
  for (const r of plan.openRegions) {
    const members = [...new Set(r.items.map((i) => nodeOfItem[i]!))];
    if (members.length > 1) regions.push({ id: r.id, kind: r.kind, label: r.label, nodes: members });
  }
  const count = (kind: Summary["kind"]) => plan.summaries.filter((s) => s.kind === kind).length;
  return {
    nodes,
    edges,
    groups,
    regions,
    indexOf: new Map(nodes.map((n, i) => [n.id, i])),
    nodeOfSpan,
    incomingStart,
    incomingEdges,
    stats: {
      steps: detail.steps.length,
      collapsedLoops: count("loop"),
      collapsedGroups: count("group"),
      segments: count("segment"),
    },
  };
}

function visibleGroup(g: number, all: { parent: number }[], index: Int32Array): number {
  while (g >= 0 && index[g]! < 0) g = all[g]!.parent;
  return g < 0 ? -1 : index[g]!;
}

/** Labels of a summary node; agents and segments name their most used tools, so a closed stretch still says what it did. */
function nameSummary(node: GraphNode, s: Summary, groups: { label: string }[], tools: Map<string, number>): void {
  const steps = stepsWord(node.steps);
  const top = [...tools].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2);
  node.detail = s.kind === "loop" || top.length === 0 ? steps : `${steps} · ${top.map(([name]) => name).join(", ")}`;
  if (s.kind === "loop") {
    node.label = `${s.loop.pattern} ×${s.loop.decisions.length}`;
    node.ariaLabel = `loop ${node.label}, ${steps}, collapsed`;
  } else if (s.kind === "group") {
    node.label = groups[s.group]!.label;
    node.ariaLabel = `collapsed agent ${node.label}, ${steps}`;
  } else {
    node.label = segmentLabel(s.index, s.size, s.decisions);
    node.ariaLabel = `collapsed ${node.label}${s.group >= 0 ? ` of ${groups[s.group]!.label}` : ""}, ${steps}`;
  }
}

/** Item edges between the nodes that stand for their ends: self-loops dropped, one edge per pair, recorded beats implied. */
function visibleEdges(itemEdges: { from: number; to: number; kind: EdgeKind }[], nodeOfItem: Int32Array, nodes: GraphNode[]) {
  const edges: GraphEdge[] = [];
  const byPair = new Map<number, number>();
  for (const e of itemEdges) {
    const from = nodeOfItem[e.from]!;
    const to = nodeOfItem[e.to]!;
    if (from === to) continue;
    const key = from * nodes.length + to;
    const at = byPair.get(key);
    if (at === undefined) {
      byPair.set(key, edges.length);
      edges.push({ id: `${nodes[from]!.id}->${nodes[to]!.id}`, kind: e.kind, from, to });
    } else if (PRECEDENCE[e.kind] > PRECEDENCE[edges[at]!.kind]) edges[at]!.kind = e.kind;
  }
  return edges;
}

function incoming(n: number, edges: GraphEdge[]) {
  const incomingStart = new Int32Array(n + 1);
  for (const e of edges) incomingStart[e.to + 1]!++;
  for (let i = 0; i < n; i++) incomingStart[i + 1]! += incomingStart[i]!;
  const fill = incomingStart.slice(0, n);
  const incomingEdges = new Int32Array(edges.length);
  edges.forEach((e, k) => (incomingEdges[fill[e.to]!++] = k));
  return { incomingStart, incomingEdges };
}
