import type { DriftConfig } from "@/lib/drift/config";
import { capList, escalate, round, spanIdsOf, stepRange, toolCalls, type ToolCall } from "@/lib/drift/steps";
import type { DriftInput } from "@/lib/drift/input";
import type { DriftFinding } from "@/lib/drift/types";

/**
 * Error cascades: tool calls keep failing and the agent keeps going.
 * - consecutive: `minConsecutive` failed tool calls in a row (any tools), reported at
 *   the call that reached the threshold. A retry that then succeeds is not a cascade.
 * - rate: at least `maxErrorRate` of the last `window` tool calls failed, reported at
 *   the call that pushed the rate over (one finding per stretch above the rate).
 */
export function detectErrorCascades(input: DriftInput, config: DriftConfig["errorCascade"]): DriftFinding[] {
  const calls = toolCalls(input.steps);
  return [...consecutive(calls, config), ...windowed(calls, config)];
}

function consecutive(calls: ToolCall[], config: DriftConfig["errorCascade"]): DriftFinding[] {
  const out: DriftFinding[] = [];
  for (let start = 0; start < calls.length;) {
    if (!calls[start]!.failed) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < calls.length && calls[end]!.failed) end++;
    const streak = calls.slice(start, end);
    if (streak.length >= config.minConsecutive) {
      const steps = streak.map((c) => c.step);
      const tools = [...new Set(streak.map((c) => c.tool))];
      out.push({
        spanId: streak[config.minConsecutive - 1]!.step.spanId,
        detector: "error_cascade",
        severity: escalate(streak.length, config.highAt, config.criticalAt),
        score: round(streak.length / config.minConsecutive),
        summary: `${streak.length} tool calls failed in a row (${tools.join(", ")}) at ${stepRange(steps)}${errorNote(streak)}`,
        evidence: {
          rule: "consecutive",
          spanIds: spanIdsOf(steps),
          steps: capList(steps.map((s) => s.index)),
          tools,
          errors: distinctErrors(streak),
          count: streak.length,
          threshold: config.minConsecutive,
        },
      });
    }
    start = end;
  }
  return out;
}

function windowed(calls: ToolCall[], config: DriftConfig["errorCascade"]): DriftFinding[] {
  const out: DriftFinding[] = [];
  const w = config.window;
  let failures = 0;
  let above = false;
  for (let i = 0; i < calls.length; i++) {
    if (calls[i]!.failed) failures++;
    if (i >= w && calls[i - w]!.failed) failures--;
    if (i < w - 1) continue;
    const rate = failures / w;
    if (rate >= config.maxErrorRate && !above) {
      const win = calls.slice(i - w + 1, i + 1);
      const failed = win.filter((c) => c.failed);
      // The rate rises only with a failure, except on the first full window: report at a failed call.
      const at = calls[i]!.failed ? calls[i]! : failed.at(-1)!;
      out.push({
        spanId: at.step.spanId,
        detector: "error_cascade",
        severity: rate >= 0.8 ? "high" : "medium",
        score: round(rate / config.maxErrorRate),
        summary: `${failed.length} of the last ${w} tool calls failed (${Math.round(rate * 100)}%) at ${stepRange(
          win.map((c) => c.step),
        )}${errorNote(failed)}`,
        evidence: {
          rule: "error_rate",
          spanIds: spanIdsOf(failed.map((c) => c.step)),
          steps: win.map((c) => c.step.index),
          failed: failed.length,
          window: w,
          rate: round(rate),
          threshold: config.maxErrorRate,
          errors: distinctErrors(failed),
        },
      });
    }
    above = rate >= config.maxErrorRate;
  }
  return out;
}

function distinctErrors(calls: ToolCall[]): string[] {
  return [...new Set(calls.map((c) => c.step.statusMessage ?? "").filter(Boolean))].slice(0, 5).map((m) => m.slice(0, 300));
}

function errorNote(calls: ToolCall[]): string {
  const [first] = distinctErrors(calls);
  return first ? `: "${first.length > 80 ? `${first.slice(0, 79)}…` : first}"` : "";
}
