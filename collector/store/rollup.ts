import type { StepRow } from "@/collector/normalize/batch";

/**
 * Run aggregates as deltas over newly stored steps. Every field combines with the
 * stored run by a commutative operation (sum, min, max, first-non-null, root wins),
 * so runs come out the same in any span arrival order, and a redelivered span —
 * not stored again — adds nothing.
 */
export type RunDelta = {
  projectId: string;
  runId: string;
  steps: number;
  llmCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  errors: number;
  startNs: bigint;
  lastActivityNs: bigint;
  agentKey: string;
  sessionId: string | null;
  name: string;
  /** Set when the root span (no parent) is among the new steps. */
  root: { spanId: string; endNs: bigint | null; error: boolean } | null;
};

export function rollupRuns(steps: { projectId: string; step: StepRow }[]): RunDelta[] {
  const runs = new Map<string, RunDelta>();
  for (const { projectId, step } of steps) {
    const key = `${projectId}/${step.runId}`;
    let d = runs.get(key);
    if (!d) {
      d = {
        projectId,
        runId: step.runId,
        steps: 0,
        llmCalls: 0,
        toolCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        totalTokens: 0,
        errors: 0,
        startNs: step.startNs,
        lastActivityNs: step.endNs ?? step.startNs,
        agentKey: step.agentKey,
        sessionId: null,
        name: "",
        root: null,
      };
      runs.set(key, d);
    }
    d.steps++;
    if (step.kind === "llm") d.llmCalls++;
    if (step.kind === "tool") d.toolCalls++;
    // Tokens are counted on LLM steps only: wrapper spans (agent, chain) often repeat their children's totals.
    if (step.kind === "llm") {
      d.inputTokens += step.inputTokens ?? 0;
      d.outputTokens += step.outputTokens ?? 0;
      d.totalTokens += step.totalTokens ?? 0;
    }
    if (step.status === "error") d.errors++;
    if (step.startNs < d.startNs) d.startNs = step.startNs;
    const activity = step.endNs ?? step.startNs;
    if (activity > d.lastActivityNs) d.lastActivityNs = activity;
    d.sessionId ??= step.sessionId;
    if (step.parentSpanId === null) {
      d.root = { spanId: step.spanId, endNs: step.endNs, error: step.status === "error" };
      d.agentKey = step.agentKey;
      d.name = step.runName ?? step.name;
    } else if (!d.root && !d.name && step.runName) d.name = step.runName;
  }
  return [...runs.values()];
}
