import type { StepSummary } from "@/lib/api/schemas";

/** A readable StepSummary for unit tests: times in ms from a fixed base, the rest defaulted. */
export const BASE_NS = 1_763_700_000_000_000_000n;

export function buildStep(
  spanId: string,
  parentSpanId: string | null,
  startMs: number,
  endMs: number | null,
  extra: Partial<StepSummary> = {},
): StepSummary {
  return {
    spanId,
    parentSpanId,
    kind: "other",
    name: spanId,
    family: "generic",
    status: "ok",
    statusMessage: null,
    startNs: String(BASE_NS + BigInt(startMs) * 1_000_000n),
    endNs: endMs === null ? null : String(BASE_NS + BigInt(endMs) * 1_000_000n),
    agentName: null,
    provider: null,
    model: null,
    toolName: null,
    toolCallId: null,
    inputTokens: null,
    outputTokens: null,
    handoffTo: null,
    contextSize: 0,
    ...extra,
  };
}
