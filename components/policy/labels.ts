import { DETECTORS } from "@/lib/drift/types";

/** Words the policy page uses for detectors and actions. */
export const DETECTOR_OPTIONS: { value: "*" | (typeof DETECTORS)[number]; label: string }[] = [
  { value: "*", label: "any detector" },
  { value: "loop", label: "loop" },
  { value: "error_cascade", label: "error cascade" },
  { value: "policy", label: "policy violation" },
  { value: "new_egress", label: "new egress" },
  { value: "budget", label: "budget" },
  { value: "trajectory", label: "trajectory" },
];

export const detectorLabel = (d: string) => DETECTOR_OPTIONS.find((o) => o.value === d)?.label ?? d;

export const ACTION_LABEL = { record: "record only", pause: "pause the run", kill: "kill the run" } as const;
