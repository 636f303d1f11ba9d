import { DETECTORS } from "@/lib/drift/types";
import { DETECTOR_LABEL, detectorLabel } from "@/lib/drift/labels";

const ANY_DETECTOR = "any detector";

/** The detectors a policy action can name, in the words of lib/drift/labels.ts, after the wildcard. */
export const DETECTOR_OPTIONS: { value: "*" | (typeof DETECTORS)[number]; label: string }[] = [
  { value: "*", label: ANY_DETECTOR },
  ...DETECTORS.map((d) => ({ value: d, label: DETECTOR_LABEL[d] })),
];

/** The detector a policy action names ("*": any). */
export const actionDetectorLabel = (d: string) => (d === "*" ? ANY_DETECTOR : detectorLabel(d));

export const ACTION_LABEL = { record: "record only", pause: "pause the run", kill: "kill the run" } as const;
