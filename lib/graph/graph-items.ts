import type { RunDetail, StepSummary } from "@/lib/api/schemas";

/**
 * First stage of the decision graph: which steps become nodes, which become groups
 * (agent boxes), and the causal edges between nodes — before any collapsing. See
 * decision-graph.ts for the rules; this file only applies them, in one pass over
 * the steps in time order (parent chains are resolved with an explicit path, never
 * by recursion, and a parent cycle in hostile data is cut where it closes).
 */
export type PlainKind = "decision" | "tool" | "agent" | "handoff" | "retrieval" | "guardrail" | "step";
export type EdgeKind = "tool_call" | "tool_result" | "handoff" | "invoke" | "sequence";
export type Severity = RunDetail["driftPoints"][number]["severity"];
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

export type Item = {
  step: StepSummary;
  kind: PlainKind;
  /** Group the node sits in (-1: the run itself). An agent's own node sits in its own group, as its entry. */
  group: number;
  /** Start and end in ns since the run's first step; t1 is NaN while the step is open. */
  t0: number;
  t1: number;
  drift: number;
  /** Highest drift severity as 1 + index in SEVERITIES; 0 without drift. */
  severity: number;
  /** Decisions: names of the tools they chose, in time order. */
  calls: string[];
};

export type ItemGroup = {
  step: StepSummary;
  label: string;
  parent: number;
  depth: number;
  /** The agent's own node; -1 for an agent-like chain, which is structure only. */
  entry: number;
  /** The tool node that ran this sub-agent (agent as a tool), or -1. */
  invoker: number;
};

export type ItemEdge = { from: number; to: number; kind: EdgeKind };

export type ItemGraph = { items: Item[]; groups: ItemGroup[]; edges: ItemEdge[]; itemOfSpan: Map<string, number> };

const UNKNOWN = -2;

export function collectItems(detail: Pick<RunDetail, "steps" | "edges" | "driftPoints">): ItemGraph {
  const steps = detail.steps;
  const n = steps.length;
  const { t0, t1, order } = times(steps);
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!indexOf.has(steps[i]!.spanId)) indexOf.set(steps[i]!.spanId, i);
  const endpoints = new Set<string>();
  for (const e of detail.edges) endpoints.add(e.from).add(e.to);
  const parentOf = (i: number) => {
    const p = steps[i]!.parentSpanId;
    const j = p === null ? undefined : indexOf.get(p);
    return j === undefined || j === i ? -1 : j;
  };

  // Scopes: the group each step's children live in, found top-down along each unresolved parent path.
  const groups: ItemGroup[] = [];
  const scope = new Int32Array(n).fill(UNKNOWN);
  const toolAbove = new Int32Array(n); // nearest tool step at or above, within the scope
  const enclosing = new Int32Array(n);
  const groupOfStep = new Int32Array(n).fill(-1);
  const invokerStep: number[] = [];
  const onPath = new Uint8Array(n);
  const path: number[] = [];
  for (const i of order) {
    let j = i;
    while (j !== -1 && scope[j] === UNKNOWN && !onPath[j]) {
      onPath[j] = 1;
      path.push(j);
      j = parentOf(j);
    }
    const known = j !== -1 && scope[j] !== UNKNOWN;
    let outer = known ? scope[j]! : -1;
    let tool = known ? toolAbove[j]! : -1;
    for (let k = path.length - 1; k >= 0; k--) {
      const s = path[k]!;
      const step = steps[s]!;
      onPath[s] = 0;
      enclosing[s] = outer;
      if (isGroup(step, outer < 0 ? null : groups[outer]!.step, endpoints)) {
        groupOfStep[s] = groups.length;
        invokerStep.push(tool);
        groups.push({
          step,
          label: step.agentName ?? step.name,
          parent: outer,
          depth: outer < 0 ? 0 : groups[outer]!.depth + 1,
          entry: -1,
          invoker: -1,
        });
        outer = groupOfStep[s]!;
        tool = -1;
      } else if (step.kind === "tool" && !step.handoffTo) tool = s;
      scope[s] = outer;
      toolAbove[s] = tool;
    }
    path.length = 0;
  }

  const drift = driftBySpan(detail.driftPoints);
  const items: Item[] = [];
  const itemOfStep = new Int32Array(n).fill(-1);
  const itemOfSpan = new Map<string, number>();
  for (const i of order) {
    const step = steps[i]!;
    const kind = nodeKind(step, endpoints);
    if (kind === null || itemOfSpan.has(step.spanId)) continue;
    const own = groupOfStep[i]!;
    const d = drift.get(step.spanId);
    itemOfStep[i] = items.length;
    itemOfSpan.set(step.spanId, items.length);
    if (own >= 0) groups[own]!.entry = items.length;
    items.push({
      step,
      kind,
      group: own >= 0 ? own : enclosing[i]!,
      t0: t0[i]!,
      t1: t1[i]!,
      drift: d?.count ?? 0,
      severity: d?.severity ?? 0,
      calls: [],
    });
  }
  for (let g = 0; g < groups.length; g++) groups[g]!.invoker = invokerStep[g]! < 0 ? -1 : itemOfStep[invokerStep[g]!]!;

  const edges: ItemEdge[] = [];
  for (const e of detail.edges) {
    const from = itemOfSpan.get(e.from);
    const to = itemOfSpan.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    edges.push({ from, to, kind: e.kind });
    if (e.kind === "tool_call") items[from]!.calls.push(items[to]!.step.toolName ?? items[to]!.step.name);
  }
  return { items, groups, edges, itemOfSpan };
}

/**
 * Agents are groups (and nodes: the entry of their box); a chain/other step is a
 * group only when it names an agent its enclosing group does not (an agent-like
 * wrapper such as a Mastra or OpenLLMetry agent span mapped to a chain). Handoff
 * steps are never groups: they are the arrow between two.
 */
function isGroup(step: StepSummary, outer: StepSummary | null, endpoints: Set<string>): boolean {
  if (step.handoffTo) return false;
  if (step.kind === "agent") return true;
  if ((step.kind === "chain" || step.kind === "other") && step.agentName && !endpoints.has(step.spanId))
    return outer === null || outer.agentName !== step.agentName;
  return false;
}

function nodeKind(step: StepSummary, endpoints: Set<string>): PlainKind | null {
  if (step.handoffTo && step.kind !== "llm") return "handoff";
  switch (step.kind) {
    case "llm":
      return "decision";
    case "tool":
    case "agent":
    case "retrieval":
    case "guardrail":
      return step.kind;
    default:
      return endpoints.has(step.spanId) ? "step" : null;
  }
}

/** ns since the first start, as doubles (exact for runs shorter than 104 days), and the time order. */
function times(steps: StepSummary[]) {
  const n = steps.length;
  const starts = steps.map((s) => BigInt(s.startNs));
  let base = starts[0] ?? 0n;
  for (const s of starts) if (s < base) base = s;
  const t0 = new Float64Array(n);
  const t1 = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    t0[i] = Number(starts[i]! - base);
    const end = steps[i]!.endNs;
    t1[i] = end === null ? NaN : Number(BigInt(end) - base);
    if (i > 0 && t0[i]! < t0[i - 1]!) sorted = false;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  if (!sorted) order.sort((a, b) => t0[a]! - t0[b]! || a - b);
  return { t0, t1, order };
}

function driftBySpan(points: RunDetail["driftPoints"]): Map<string, { count: number; severity: number }> {
  const out = new Map<string, { count: number; severity: number }>();
  for (const p of points) {
    const rank = SEVERITIES.indexOf(p.severity) + 1;
    const d = out.get(p.spanId);
    if (d) {
      d.count++;
      d.severity = Math.max(d.severity, rank);
    } else out.set(p.spanId, { count: 1, severity: rank });
  }
  return out;
}
