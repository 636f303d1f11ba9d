import type { DriftConfig } from "@/lib/drift/config";
import type { DriftInput } from "@/lib/drift/input";
import { round, toolCalls } from "@/lib/drift/steps";
import type { DriftFinding, DriftStep } from "@/lib/drift/types";

/**
 * Trajectory deviation: the run's tool sequence is far (normalized edit distance) from
 * every recent successful run of the same agent. The drift point is the first tool
 * call making a transition (previous tool → this tool) no baseline run ever made; when
 * every transition is known (same tools, another order or count), the first call that
 * differs from the nearest baseline run.
 *
 * A live run is a prefix: it is compared with the best-matching prefix of each
 * baseline run, so a run halfway through its usual path is not "far" from it.
 */
const START = "^";

export function detectTrajectory(input: DriftInput, config: DriftConfig["trajectory"]): DriftFinding[] {
  const baseline = (input.baseline ?? []).filter((r) => r.runId !== input.runId && r.tools !== undefined);
  if (baseline.length < config.minBaselineRuns) return [];
  const calls = toolCalls(input.steps).slice(0, config.maxSequence);
  if (calls.length < config.minTools) return [];
  const run = calls.map((c) => c.tool);

  // Many baseline runs share a sequence: compare each distinct one once.
  const distinct = new Map<string, { runId: string; tools: string[] }>();
  for (const r of baseline.slice(0, config.maxBaselineRuns)) {
    const tools = r.tools!.slice(0, config.maxSequence);
    const key = tools.join("\u0000");
    if (!distinct.has(key)) distinct.set(key, { runId: r.runId, tools });
  }
  let nearest = { runId: "", tools: [] as string[], distance: Infinity };
  for (const b of distinct.values()) {
    const distance = input.live ? prefixDistance(run, b.tools) : fullDistance(run, b.tools);
    if (distance < nearest.distance) nearest = { ...b, distance };
  }
  if (nearest.distance < config.maxDistance) return [];

  const known = new Set<string>();
  for (const b of distinct.values()) b.tools.forEach((t, i) => known.add(`${i === 0 ? START : b.tools[i - 1]}\u0000${t}`));
  const novel = run.findIndex((t, i) => !known.has(`${i === 0 ? START : run[i - 1]}\u0000${t}`));
  const firstDiff = run.findIndex((t, i) => nearest.tools[i] !== t);
  const at = novel >= 0 ? novel : firstDiff >= 0 ? firstDiff : run.length - 1;
  const step: DriftStep = calls[at]!.step;
  const transition = `${at === 0 ? "(start)" : run[at - 1]} → ${run[at]}`;
  return [
    {
      spanId: step.spanId,
      detector: "trajectory",
      severity: nearest.distance >= config.highDistance ? "high" : "medium",
      score: round(nearest.distance / config.maxDistance),
      summary: `tool sequence ${Math.round(nearest.distance * 100)}% different from the nearest of ${distinct.size} usual paths; ${
        novel >= 0 ? `never-seen transition ${transition}` : `first departure ${transition}`
      } at step ${step.index}`,
      evidence: {
        rule: novel >= 0 ? "new_transition" : "departure",
        spanIds: [step.spanId],
        steps: [step.index],
        distance: round(nearest.distance),
        threshold: config.maxDistance,
        transition: [at === 0 ? START : run[at - 1], run[at]],
        nearestRunId: nearest.runId,
        nearestTools: nearest.tools.slice(0, 30),
        tools: run.slice(0, 30),
        baselineRuns: baseline.length,
      },
    },
  ];
}

/** Levenshtein distance over tool names, divided by the longer length: 0 same, 1 nothing shared. */
export function fullDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const row = lastRow(a, b);
  return row[b.length]! / Math.max(a.length, b.length);
}

/** The smallest normalized distance between `a` and any prefix of `b`. */
export function prefixDistance(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0) return 0;
  const row = lastRow(a, b);
  let best = Infinity;
  for (let j = 0; j <= b.length; j++) best = Math.min(best, row[j]! / Math.max(a.length, j));
  return best;
}

/** Row `a.length` of the edit-distance table: distances between all of `a` and each prefix of `b`. Two rows of memory. */
function lastRow(a: readonly string[], b: readonly string[]): number[] {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev;
}
