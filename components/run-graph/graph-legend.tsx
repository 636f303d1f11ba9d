import { EDGE_KINDS, EDGE_STYLE, NODE_STYLE } from "@/components/run-graph/styles";
import type { NodeKind } from "@/lib/graph/decision-graph";

const NODES: [NodeKind, string][] = [
  ["decision", "decision (LLM call)"],
  ["tool", "tool"],
  ["agent", "agent / handoff"],
  ["loop", "collapsed (click to open)"],
];

/** What the colours and dashes mean. */
export function GraphLegend() {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-[11px] text-zinc-500 dark:text-zinc-400" aria-label="Legend">
      {NODES.map(([kind, label]) => (
        <span key={kind} className="inline-flex items-center gap-1.5">
          <svg width={16} height={10} aria-hidden>
            <rect
              x={0.5}
              y={0.5}
              width={15}
              height={9}
              rx={NODE_STYLE[kind].rx / 4}
              className={`${NODE_STYLE[kind].fill} ${NODE_STYLE[kind].stroke}`}
            />
          </svg>
          {label}
        </span>
      ))}
      <span className="inline-flex items-center gap-1.5">
        <svg width={16} height={10} aria-hidden>
          <rect x={1} y={1} width={14} height={8} rx={2} strokeWidth={2} className="fill-none stroke-orange-500" />
        </svg>
        drift point
      </span>
      {EDGE_KINDS.map((kind) => (
        <span key={kind} className={`inline-flex items-center gap-1.5`}>
          <svg width={22} height={8} aria-hidden className={EDGE_STYLE[kind].color}>
            <line x1={0} y1={4} x2={16} y2={4} stroke="currentColor" strokeWidth={1.5} strokeDasharray={EDGE_STYLE[kind].dash} />
            <path d="M15,0.5 L22,4 L15,7.5 z" fill="currentColor" />
          </svg>
          {EDGE_STYLE[kind].label}
        </span>
      ))}
    </div>
  );
}
