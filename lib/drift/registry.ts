import type { DriftConfig } from "@/lib/drift/config";
import { detectBudget } from "@/lib/drift/budget";
import { detectErrorCascades } from "@/lib/drift/error-cascade";
import { detectNewEgress } from "@/lib/drift/egress";
import type { DriftInput } from "@/lib/drift/input";
import { detectLoops } from "@/lib/drift/loop";
import { detectPolicyViolations } from "@/lib/drift/policy";
import { detectTrajectory } from "@/lib/drift/trajectory";
import { severityRank, type DetectorName, type DriftFinding } from "@/lib/drift/types";

/**
 * The detectors, in one list. `needs` says what context a detector reads beyond the
 * run's steps, so the caller loads only what is used (a baseline costs queries).
 */
export type Detector = {
  name: DetectorName;
  needs: "steps" | "policy" | "baseline" | "hosts";
  detect(input: DriftInput, config: DriftConfig): DriftFinding[];
};

export const DETECTOR_LIST: readonly Detector[] = [
  { name: "loop", needs: "steps", detect: (i, c) => detectLoops(i, c.loop) },
  { name: "error_cascade", needs: "steps", detect: (i, c) => detectErrorCascades(i, c.errorCascade) },
  { name: "policy", needs: "policy", detect: (i) => detectPolicyViolations(i) },
  { name: "new_egress", needs: "hosts", detect: (i, c) => detectNewEgress(i, c.egress) },
  { name: "budget", needs: "baseline", detect: (i, c) => detectBudget(i, c.budget) },
  { name: "trajectory", needs: "baseline", detect: (i, c) => detectTrajectory(i, c.trajectory) },
];

/**
 * Every detector over one run. A drift point is unique per (step, detector), so two
 * findings of one detector at the same step become one: the more severe, carrying the
 * other in `evidence.also`.
 */
export function detectDrift(input: DriftInput, config: DriftConfig, detectors = DETECTOR_LIST): DriftFinding[] {
  const merged = new Map<string, DriftFinding>();
  for (const detector of detectors)
    for (const finding of detector.detect(input, config)) {
      const key = `${finding.spanId}\u0000${finding.detector}`;
      const other = merged.get(key);
      merged.set(key, other ? combine(other, finding) : finding);
    }
  const order = new Map(input.steps.map((s) => [s.spanId, s.index]));
  return [...merged.values()].sort(
    (a, b) => (order.get(a.spanId) ?? 0) - (order.get(b.spanId) ?? 0) || a.detector.localeCompare(b.detector),
  );
}

function combine(a: DriftFinding, b: DriftFinding): DriftFinding {
  const [main, extra] =
    severityRank(b.severity) > severityRank(a.severity) || (b.severity === a.severity && b.score > a.score) ? [b, a] : [a, b];
  const also = [...((main.evidence.also as unknown[] | undefined) ?? []), { summary: extra.summary, evidence: extra.evidence }];
  return { ...main, evidence: { ...main.evidence, also } };
}
