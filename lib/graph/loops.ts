import type { ItemGraph } from "@/lib/graph/graph-items";

/**
 * Repeated iterations of one agent: three or more consecutive decisions of the same
 * group that chose the same tool names (with multiplicity, order ignored), with the
 * tool steps they chose. Decisions that chose nothing (answers) never form a loop,
 * nor do those whose tool ran a sub-agent: each such call did different work.
 */
export type Loop = {
  id: string;
  group: number;
  decisions: number[];
  /** Decisions and the tools they chose. */
  members: number[];
  /** "search_web", "search_web + read_page" */
  pattern: string;
};

export const MIN_LOOP_ITERATIONS = 3;

export function findLoops({ items, groups, edges }: ItemGraph): Loop[] {
  const chosen: (number[] | undefined)[] = new Array(items.length);
  for (const e of edges) if (e.kind === "tool_call" && items[e.from]!.kind === "decision") (chosen[e.from] ??= []).push(e.to);
  const invokers = new Set(groups.map((g) => g.invoker));
  const bySlot: number[][] = Array.from({ length: groups.length + 1 }, () => []);
  for (let i = 0; i < items.length; i++) if (items[i]!.kind === "decision") bySlot[items[i]!.group + 1]!.push(i);

  const loops: Loop[] = [];
  for (const decisions of bySlot) {
    const signatures = decisions.map((d) =>
      chosen[d]?.some((t) => invokers.has(t)) ? "" : [...items[d]!.calls].sort().join("\u0000"),
    );
    for (let start = 0; start < decisions.length;) {
      let end = start + 1;
      while (end < decisions.length && signatures[end] === signatures[start]) end++;
      if (signatures[start] !== "" && end - start >= MIN_LOOP_ITERATIONS) {
        const run = decisions.slice(start, end);
        const first = items[run[0]!]!;
        loops.push({
          id: `loop:${first.step.spanId}`,
          group: first.group,
          decisions: run,
          members: run.flatMap((d) => [d, ...(chosen[d] ?? [])]),
          pattern: [...new Set(first.calls)].sort().join(" + "),
        });
      }
      start = end;
    }
  }
  return loops.sort((a, b) => a.decisions[0]! - b.decisions[0]!);
}
