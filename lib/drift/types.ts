/**
 * What drift detectors read and produce (their input: lib/drift/input.ts). Detectors are
 * pure functions over the normalized steps of one run; the collector loads the steps
 * (collector/drift/load.ts) and stores the findings as drift points.
 */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DETECTORS = ["loop", "error_cascade", "policy", "new_egress", "budget", "trajectory"] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** One step of a run as the detectors see it: no message bodies, tool arguments only when short. */
export type DriftStep = {
  spanId: string;
  parentSpanId: string | null;
  /** 1-based position among the run's steps by start time: "step N" in summaries (recomputed as spans arrive). */
  index: number;
  kind: "llm" | "tool" | "agent" | "retrieval" | "guardrail" | "chain" | "other";
  name: string;
  status: "unset" | "ok" | "error";
  statusMessage: string | null;
  /** Tool steps: the tool's name (the step name when the convention gave none). */
  toolName: string | null;
  /**
   * Tool steps: the arguments as sent (JSON text usually); null when not recorded.
   * Long arguments arrive as an `md5:` digest: equal digests still mean equal arguments.
   */
  toolArguments: string | null;
  /** Tool steps: a digest of the result (equality is all detectors need); null when none was recorded. */
  resultDigest: string | null;
  /** LLM steps. */
  inputTokens: number | null;
  totalTokens: number | null;
  /** LLM steps without token counts: bytes of the messages the model saw. */
  contextBytes: number | null;
  /** LLM steps: content hashes of the messages the model produced (equal lists = equal outputs). */
  outputHashes: string[];
  /** CLIENT spans: the URL or server address they called, as sent (new egress). */
  egressTarget: string | null;
};

/** A finished, successful run of the same agent, for baselines. */
export type BaselineRun = {
  runId: string;
  totalTokens: number;
  steps: number;
  /** Tool names in order; loaded for the most recent baseline runs only. */
  tools?: string[];
};

/**
 * A drift point before it is stored. `spanId` is the step where it happened;
 * (run, spanId, detector) identifies it, so re-evaluating a growing run updates
 * the same finding (its count, evidence and severity) instead of adding one.
 * `score` is the measured value divided by its threshold (≥ 1 when fired; policy and
 * new-egress findings score 1), so scores compare across detectors.
 */
export type DriftFinding = {
  spanId: string;
  detector: DetectorName;
  severity: Severity;
  score: number;
  /** For a person: "search_web called 5× with {q: 'refund policy'} at steps 7–15". */
  summary: string;
  /** Always `spanIds` (the steps involved) and `rule` (which check fired), plus the values judged. */
  evidence: { rule: string; spanIds: string[] } & Record<string, unknown>;
};

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(list: readonly Severity[]): Severity | null {
  let best: Severity | null = null;
  for (const s of list) if (best === null || severityRank(s) > severityRank(best)) best = s;
  return best;
}
