import type { DriftConfig } from "@/lib/drift/config";
import {
  capList,
  escalate,
  matchesAny,
  previewArguments,
  round,
  spanIdsOf,
  stepRange,
  toolCalls,
  type ToolCall,
} from "@/lib/drift/steps";
import type { DriftInput } from "@/lib/drift/input";
import type { DriftFinding, DriftStep } from "@/lib/drift/types";

/**
 * Loops: the agent keeps doing the same thing and learns nothing from it.
 * - repeat: the same tool with the same normalized arguments and the same result,
 *   `minRepeats` times in a row. A poller whose result changes, or pagination (the
 *   arguments change), is not a loop; a repeat where every call failed is an error
 *   cascade rather than a loop, and is left to that detector.
 * - alternation: A-B-A-B… over `minAlternation` calls, each A and each B the same call.
 * - repeated output: `minRepeatedOutputs` consecutive model calls producing exactly
 *   the same messages (unless a tool loop already explains them).
 * Each loop is one finding, at the call where it reached the threshold; its count and
 * evidence grow with the loop.
 */
export function detectLoops(input: DriftInput, config: DriftConfig["loop"]): DriftFinding[] {
  const calls = toolCalls(input.steps).filter((c) => !matchesAny(c.tool, config.ignoreTools));
  const key = (c: ToolCall) => `${c.tool}\u0000${c.args}\u0000${config.requireSameResult ? c.outcome : ""}`;
  const keys = calls.map(key);
  const findings = [...repeats(calls, keys, config), ...alternations(calls, keys, config)];
  return [...findings, ...repeatedOutputs(input.steps, config, findings)];
}

function repeats(calls: ToolCall[], keys: string[], config: DriftConfig["loop"]): DriftFinding[] {
  const out: DriftFinding[] = [];
  for (let start = 0; start < calls.length;) {
    let end = start + 1;
    while (end < calls.length && keys[end] === keys[start]) end++;
    const streak = calls.slice(start, end);
    if (streak.length >= config.minRepeats && streak.some((c) => !c.failed)) {
      const c = streak[0]!;
      const steps = streak.map((s) => s.step);
      out.push({
        spanId: streak[config.minRepeats - 1]!.step.spanId,
        detector: "loop",
        severity: escalate(streak.length, config.highAt, config.criticalAt),
        score: round(streak.length / config.minRepeats),
        summary: `${c.tool} called ${streak.length}× with ${previewArguments(c.args)} at ${stepRange(steps)}${
          config.requireSameResult ? ", same result each time" : ""
        }`,
        evidence: {
          rule: "repeat",
          spanIds: spanIdsOf(steps),
          steps: capList(steps.map((s) => s.index)),
          tool: c.tool,
          arguments: c.args.length > 500 ? `${c.args.slice(0, 500)}…` : c.args,
          count: streak.length,
          threshold: config.minRepeats,
        },
      });
    }
    start = end;
  }
  return out;
}

function alternations(calls: ToolCall[], keys: string[], config: DriftConfig["loop"]): DriftFinding[] {
  const out: DriftFinding[] = [];
  // A streak holds while each call equals the one two before it and differs from the one before it.
  for (let start = 0; start + 1 < calls.length;) {
    if (keys[start] === keys[start + 1]) {
      start++;
      continue;
    }
    let end = start + 2;
    while (end < calls.length && keys[end] === keys[end - 2]) end++;
    const streak = calls.slice(start, end);
    if (streak.length >= config.minAlternation && streak.some((c) => !c.failed)) {
      const [a, b] = streak as [ToolCall, ToolCall];
      const steps = streak.map((s) => s.step);
      out.push({
        spanId: streak[config.minAlternation - 1]!.step.spanId,
        detector: "loop",
        severity: escalate(Math.floor(streak.length / 2), config.highAt, config.criticalAt),
        score: round(streak.length / config.minAlternation),
        summary: `${a.tool} ${previewArguments(a.args, 40)} and ${b.tool} ${previewArguments(b.args, 40)} alternated ${
          streak.length
        } times at ${stepRange(steps)}`,
        evidence: {
          rule: "alternation",
          spanIds: spanIdsOf(steps),
          steps: capList(steps.map((s) => s.index)),
          tools: [a.tool, b.tool],
          arguments: [a.args, b.args],
          count: streak.length,
          threshold: config.minAlternation,
        },
      });
    }
    start = Math.max(start + 1, end - 1);
  }
  return out;
}

function repeatedOutputs(steps: readonly DriftStep[], config: DriftConfig["loop"], toolLoops: DriftFinding[]): DriftFinding[] {
  const llm = steps.filter((s) => s.kind === "llm" && s.outputHashes.length > 0);
  const keys = llm.map((s) => s.outputHashes.join(","));
  const covered = toolLoops.map((f) => f.evidence.steps as number[]).map((s) => [s[0]!, s.at(-1)!] as const);
  const out: DriftFinding[] = [];
  for (let start = 0; start < llm.length;) {
    let end = start + 1;
    while (end < llm.length && keys[end] === keys[start]) end++;
    const streak = llm.slice(start, end);
    const [first, last] = [streak[0]!.index, streak.at(-1)!.index];
    // Identical decisions that drive a tool loop already found are that loop, not a second finding.
    const explained = covered.some(([a, b]) => first <= b && last >= a);
    if (streak.length >= config.minRepeatedOutputs && !explained)
      out.push({
        spanId: streak[config.minRepeatedOutputs - 1]!.spanId,
        detector: "loop",
        severity: escalate(streak.length, config.highAt, config.criticalAt),
        score: round(streak.length / config.minRepeatedOutputs),
        summary: `the model produced the same output ${streak.length}× in a row at ${stepRange(streak)}`,
        evidence: {
          rule: "repeated_output",
          spanIds: spanIdsOf(streak),
          steps: capList(streak.map((s) => s.index)),
          outputHashes: streak[0]!.outputHashes,
          count: streak.length,
          threshold: config.minRepeatedOutputs,
        },
      });
    start = end;
  }
  return out;
}
