import type { EdgeKind, NodeKind } from "@/lib/graph/decision-graph";

/**
 * Colours of the graph, as Tailwind classes on SVG (fill-/stroke-), light and dark.
 * Kinds keep the waterfall's hues (components/run/kind-badge.tsx): violet decisions,
 * amber tools, sky agents, teal retrieval, rose guardrails.
 */
export const NODE_STYLE: Record<NodeKind, { fill: string; stroke: string; rx: number; tag: string }> = {
  decision: {
    fill: "fill-violet-50 dark:fill-violet-950",
    stroke: "stroke-violet-400 dark:stroke-violet-500",
    rx: 10,
    tag: "LLM",
  },
  tool: { fill: "fill-amber-50 dark:fill-amber-950", stroke: "stroke-amber-400 dark:stroke-amber-500", rx: 3, tag: "TOOL" },
  agent: { fill: "fill-sky-50 dark:fill-sky-950", stroke: "stroke-sky-400 dark:stroke-sky-500", rx: 20, tag: "AGENT" },
  handoff: { fill: "fill-sky-100 dark:fill-sky-900", stroke: "stroke-sky-500 dark:stroke-sky-400", rx: 20, tag: "HANDOFF" },
  retrieval: { fill: "fill-teal-50 dark:fill-teal-950", stroke: "stroke-teal-400 dark:stroke-teal-500", rx: 3, tag: "RETRIEVAL" },
  guardrail: { fill: "fill-rose-50 dark:fill-rose-950", stroke: "stroke-rose-400 dark:stroke-rose-500", rx: 3, tag: "GUARDRAIL" },
  step: { fill: "fill-zinc-50 dark:fill-zinc-900", stroke: "stroke-zinc-400 dark:stroke-zinc-500", rx: 3, tag: "STEP" },
  loop: { fill: "fill-violet-100 dark:fill-violet-900", stroke: "stroke-violet-500 dark:stroke-violet-400", rx: 10, tag: "LOOP" },
  group: { fill: "fill-sky-100 dark:fill-sky-900", stroke: "stroke-sky-500 dark:stroke-sky-400", rx: 10, tag: "AGENT" },
  segment: { fill: "fill-zinc-100 dark:fill-zinc-800", stroke: "stroke-zinc-500 dark:stroke-zinc-400", rx: 10, tag: "STEPS" },
};
/** Failed steps: a red border instead of the kind's. */
export const ERROR_STROKE = "stroke-red-500 dark:stroke-red-400";

/** `text-*` sets currentColor for the edge and its arrow marker. */
export const EDGE_STYLE: Record<EdgeKind, { color: string; dash?: string; label: string; faint?: boolean }> = {
  tool_call: { color: "text-amber-500", label: "chose tool" },
  tool_result: { color: "text-violet-500", label: "result read by" },
  handoff: { color: "text-sky-600 dark:text-sky-400", dash: "6 3", label: "handoff" },
  invoke: { color: "text-sky-400 dark:text-sky-500", dash: "2 3", label: "runs sub-agent" },
  sequence: { color: "text-zinc-400 dark:text-zinc-600", dash: "4 4", label: "next turn (implied)", faint: true },
};
export const EDGE_KINDS = Object.keys(EDGE_STYLE) as EdgeKind[];

/** Drift ring and count badge: orange for low/medium, red for high/critical. */
export const DRIFT_TONE: Record<"low" | "medium" | "high" | "critical", { stroke: string; fill: string }> = {
  low: { stroke: "stroke-orange-400", fill: "fill-orange-400" },
  medium: { stroke: "stroke-orange-500", fill: "fill-orange-500" },
  high: { stroke: "stroke-red-500", fill: "fill-red-500" },
  critical: { stroke: "stroke-red-600", fill: "fill-red-600" },
};
