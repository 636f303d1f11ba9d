import { z } from "zod";
import { SEVERITIES } from "@/lib/drift/types";

/**
 * Thresholds of every detector, with their defaults, in one place. Overrides come as
 * a partial object (CAUSEWAY_DRIFT_THRESHOLDS, JSON) and are validated here, so a typo
 * or a wrong type fails at start-up with the path of the bad value.
 *
 * The defaults aim at "a person would agree this is drift": three identical calls in a
 * row, three failures in a row, values beyond both mean + 3σ and twice the median of
 * at least 20 earlier successful runs.
 */
const severity = z.enum(SEVERITIES);
const count = (n: number) => z.number().int().min(1).default(n);
const ratio = (n: number) => z.number().positive().default(n);

export const driftConfigSchema = z.strictObject({
  loop: z
    .strictObject({
      /** Same tool, same normalized arguments (and same result) this many times in a row. */
      minRepeats: count(3),
      /** A-B-A-B over at least this many tool calls. */
      minAlternation: count(6),
      /** The same assistant output from this many consecutive model calls. */
      minRepeatedOutputs: count(3),
      /** Require equal results too: a polling tool whose result changes is not a loop. */
      requireSameResult: z.boolean().default(true),
      /** Tools never reported as loops (pollers whose result legitimately stays the same). */
      ignoreTools: z.array(z.string()).default([]),
      highAt: count(5),
      criticalAt: count(10),
    })
    .prefault({}),
  errorCascade: z
    .strictObject({
      minConsecutive: count(3),
      /** Error rate over the last `window` tool calls (only once that many were made). */
      window: count(10),
      maxErrorRate: z.number().gt(0).max(1).default(0.5),
      highAt: count(5),
      criticalAt: count(10),
    })
    .prefault({}),
  egress: z
    .strictObject({
      /** Earlier successful runs the agent needs before a host counts as new (no noise on day one). */
      minBaselineRuns: count(5),
      severity: severity.default("medium"),
    })
    .prefault({}),
  budget: z
    .strictObject({
      minBaselineRuns: count(20),
      /** Fires above max(mean + sigmas·σ, minRatio·median) of the baseline. */
      sigmas: ratio(3),
      minRatio: ratio(2),
      /** high at this multiple of the limit, critical at criticalRatio. */
      highRatio: ratio(2),
      criticalRatio: ratio(5),
      /** Context growth: this many successive increases of a model call's input, each larger than the one before… */
      growthIncrements: count(4),
      /** …the last at least this multiple of the first… */
      growthRatio: ratio(2),
      /** …reaching at least this input (tokens; bytes ×4 when tokens are missing). */
      growthMinTokens: count(4000),
    })
    .prefault({}),
  trajectory: z
    .strictObject({
      minBaselineRuns: count(10),
      /** Baseline runs compared (the most recent). */
      maxBaselineRuns: count(50),
      /** Runs with fewer tool calls are not judged. */
      minTools: count(3),
      /** Normalized edit distance (0 = same tool sequence, 1 = nothing in common) to the nearest baseline run. */
      maxDistance: z.number().gt(0).max(1).default(0.5),
      highDistance: z.number().gt(0).max(1).default(0.75),
      /** Only the first this many tool calls are compared (bounds the O(n·m) edit distance). */
      maxSequence: count(300),
    })
    .prefault({}),
  baseline: z
    .strictObject({
      /** Most recent successful runs read for an agent's baseline. */
      maxRuns: count(200),
      /** How long a loaded baseline is reused. */
      cacheMs: z.number().int().min(0).default(30_000),
    })
    .prefault({}),
});

export type DriftConfig = z.output<typeof driftConfigSchema>;
export type DriftConfigInput = z.input<typeof driftConfigSchema>;

export const DEFAULT_DRIFT_CONFIG: DriftConfig = driftConfigSchema.parse({});

/** Defaults merged with `overrides`; throws a message naming each bad path. */
export function parseDriftConfig(overrides: unknown = {}): DriftConfig {
  const result = driftConfigSchema.safeParse(overrides ?? {});
  if (result.success) return result.data;
  throw new Error(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
}
