import type { DriftConfig } from "@/lib/drift/config";
import type { DriftInput } from "@/lib/drift/input";
import { describe, type Stats } from "@/lib/drift/stats";
import { capList, round } from "@/lib/drift/steps";
import type { DriftFinding, DriftStep, Severity } from "@/lib/drift/types";

/**
 * Budget explosions, two ways:
 * - usage: the run's tokens or steps went far above this agent's usual successful runs:
 *   beyond max(mean + sigmas·σ, minRatio·median) of at least `minBaselineRuns` of them.
 *   Reported at the step where the running total crossed the limit, so a live run is
 *   flagged as it crosses. Silent until the baseline is large enough.
 * - context growth: a model call's input keeps growing faster and faster (each increase
 *   larger than the last, the last `growthRatio`× the first): history re-sent and
 *   duplicated rather than appended. Needs no baseline.
 */
export function detectBudget(input: DriftInput, config: DriftConfig["budget"]): DriftFinding[] {
  return [...usage(input, config), ...contextGrowth(input.steps, config)];
}

function usage(input: DriftInput, config: DriftConfig["budget"]): DriftFinding[] {
  const baseline = (input.baseline ?? []).filter((r) => r.runId !== input.runId);
  if (baseline.length < config.minBaselineRuns) return [];
  const out: DriftFinding[] = [];
  const check = (what: "tokens" | "steps", stats: Stats | null, counted: (s: DriftStep) => number) => {
    if (!stats) return;
    const limit = Math.max(stats.mean + config.sigmas * stats.std, config.minRatio * stats.p50);
    if (limit <= 0) return;
    let total = 0;
    let crossing: DriftStep | null = null;
    for (const s of input.steps) {
      total += counted(s);
      if (total > limit && !crossing) crossing = s;
    }
    if (!crossing) return;
    const ratio = total / limit;
    out.push({
      spanId: crossing.spanId,
      detector: "budget",
      severity: ratio >= config.criticalRatio ? "critical" : ratio >= config.highRatio ? "high" : "medium",
      score: round(ratio),
      summary: `${fmt(total)} ${what}${input.live ? " so far" : ""}: ${round(total / Math.max(stats.p50, 1), 1)}× this agent's usual ${fmt(
        stats.p50,
      )} (limit ${fmt(limit)}, crossed at step ${crossing.index})`,
      evidence: {
        rule: what,
        spanIds: [crossing.spanId],
        steps: [crossing.index],
        value: total,
        limit: round(limit),
        baseline: { runs: stats.n, mean: round(stats.mean), std: round(stats.std), p50: stats.p50, p95: round(stats.p95) },
      },
    });
  };
  check("tokens", describe(baseline.map((r) => r.totalTokens)), (s) => (s.kind === "llm" ? (s.totalTokens ?? 0) : 0));
  check("steps", describe(baseline.map((r) => r.steps)), () => 1);
  return out;
}

/**
 * Per agent (several agents in one run each have their own context), over model calls
 * in order. Tokens when the calls report them, else bytes of the context messages.
 */
function contextGrowth(steps: readonly DriftStep[], config: DriftConfig["budget"]): DriftFinding[] {
  const byAgent = new Map<string, DriftStep[]>();
  const parents = new Map(steps.map((s) => [s.spanId, s]));
  for (const s of steps) {
    if (s.kind !== "llm") continue;
    const parent = s.parentSpanId === null ? undefined : parents.get(s.parentSpanId);
    const key = parent?.kind === "agent" ? parent.spanId : (s.parentSpanId ?? "");
    byAgent.set(key, [...(byAgent.get(key) ?? []), s]);
  }
  const out: DriftFinding[] = [];
  for (const calls of byAgent.values()) {
    const tokens = calls.every((s) => s.inputTokens !== null);
    const series = calls
      .map((s) => ({ step: s, size: tokens ? s.inputTokens : s.contextBytes }))
      .filter((x): x is { step: DriftStep; size: number } => x.size !== null);
    const finding = growthStreak(series, tokens ? "tokens" : "bytes", config);
    if (finding) out.push(finding);
  }
  return out;
}

function growthStreak(
  series: { step: DriftStep; size: number }[],
  unit: "tokens" | "bytes",
  config: DriftConfig["budget"],
): DriftFinding | null {
  const minSize = unit === "tokens" ? config.growthMinTokens : config.growthMinTokens * 4;
  // Streak: increments d[i] = size[i] - size[i-1] > 0, each larger than the one before.
  let start = 1;
  for (let i = 1; i < series.length; i++) {
    const d = series[i]!.size - series[i - 1]!.size;
    const prev = i > 1 ? series[i - 1]!.size - series[i - 2]!.size : -Infinity;
    if (d <= 0 || (i > start && d <= prev)) start = d > 0 ? i : i + 1;
    const increments = i - start + 1;
    if (increments < config.growthIncrements) continue;
    const first = series[start]!.size - series[start - 1]!.size;
    if (d < config.growthRatio * first || series[i]!.size < minSize) continue;
    // Fired at series[i]; extend over the rest of the streak for the evidence.
    let end = i;
    while (end + 1 < series.length) {
      const next = series[end + 1]!.size - series[end]!.size;
      if (next <= series[end]!.size - series[end - 1]!.size) break;
      end++;
    }
    const points = series.slice(start - 1, end + 1);
    const severity: Severity = points.at(-1)!.size >= 10 * points[0]!.size ? "high" : "medium";
    return {
      spanId: series[i]!.step.spanId,
      detector: "budget",
      severity,
      score: round((series[end]!.size - series[end - 1]!.size) / first / config.growthRatio),
      summary: `context growing faster each call: ${points.map((p) => fmt(p.size)).join(" → ")} input ${unit} at steps ${
        points[0]!.step.index
      }–${points.at(-1)!.step.index}`,
      evidence: {
        rule: "context_growth",
        spanIds: capList(points.map((p) => p.step.spanId)),
        steps: capList(points.map((p) => p.step.index)),
        unit,
        sizes: capList(points.map((p) => p.size)),
        increments: capList(points.slice(1).map((p, k) => p.size - points[k]!.size)),
      },
    };
  }
  return null;
}

function fmt(n: number): string {
  if (n >= 10_000) return `${round(n / 1000, 1)}k`;
  return Math.round(n).toLocaleString("en-US");
}
