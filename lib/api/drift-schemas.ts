import { z } from "zod";
import { driftPoint } from "@/lib/api/schemas";

/**
 * GET /api/v1/runs/{runId}/drift: a run's drift points with their evidence — what the
 * drift panel shows when a finding is opened. The run view itself (GET /api/v1/runs/{runId})
 * carries the drift points without evidence, which can be large.
 */
export const driftEvidence = z
  .object({ rule: z.string().optional(), spanIds: z.array(z.string()).optional() })
  .catchall(z.unknown());
export type DriftEvidence = z.infer<typeof driftEvidence>;

export const driftPointDetail = driftPoint.extend({ evidence: driftEvidence });
export type DriftPointDetail = z.infer<typeof driftPointDetail>;

export const runDrift = z.object({ driftPoints: z.array(driftPointDetail) });
export type RunDrift = z.infer<typeof runDrift>;
