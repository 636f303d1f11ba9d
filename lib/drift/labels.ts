import type { DetectorName } from "@/lib/drift/types";

/**
 * Words the UI uses for each detector. Kept apart from registry.ts so components can
 * import it without pulling in the detectors. A `Record` over `DetectorName`: a detector
 * added to `DETECTORS` (which the registry's list must match, registry.test.ts) without
 * a label here does not type-check.
 */
export const DETECTOR_LABEL: Record<DetectorName, string> = {
  loop: "loop",
  error_cascade: "error cascade",
  policy: "policy violation",
  new_egress: "new egress",
  budget: "budget",
  trajectory: "trajectory",
};

/** A stored detector id as words; an id this build does not know is shown as it is. */
export function detectorLabel(detector: string): string {
  return Object.hasOwn(DETECTOR_LABEL, detector) ? DETECTOR_LABEL[detector as DetectorName] : detector;
}
