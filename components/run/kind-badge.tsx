import type { StepSummary } from "@/lib/api/schemas";

const STYLE: Record<StepSummary["kind"], string> = {
  llm: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  tool: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  agent: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  retrieval: "bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
  guardrail: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300",
  chain: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  other: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800/60 dark:text-zinc-400",
};
export const BAR: Record<StepSummary["kind"], string> = {
  llm: "bg-violet-500",
  tool: "bg-amber-500",
  agent: "bg-sky-500",
  retrieval: "bg-teal-500",
  guardrail: "bg-rose-500",
  chain: "bg-zinc-400",
  other: "bg-zinc-300 dark:bg-zinc-600",
};

export function KindBadge({ kind }: { kind: StepSummary["kind"] }) {
  return (
    <span className={`inline-block w-16 rounded px-1.5 py-0.5 text-center font-mono text-[10px] uppercase ${STYLE[kind]}`}>
      {kind}
    </span>
  );
}
