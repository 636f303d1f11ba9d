import type { Db } from "@/lib/server/db/prisma";
import type { DriftPointDetail } from "@/lib/api/drift-schemas";

/** A run's drift points with their evidence (GET /api/v1/runs/{runId}/drift); null when the run does not exist. */
export async function getRunDrift(db: Db, projectId: string, runId: string): Promise<DriftPointDetail[] | null> {
  const run = await db.run.findUnique({ where: { projectId_id: { projectId, id: runId } }, select: { id: true } });
  if (!run) return null;
  const rows = await db.driftPoint.findMany({ where: { projectId, runId }, orderBy: { id: "asc" } });
  return rows.map((d) => ({
    id: d.id.toString(),
    spanId: d.spanId,
    detector: d.detector,
    severity: d.severity,
    score: d.score,
    summary: d.summary,
    createdAt: d.createdAt.toISOString(),
    evidence:
      d.evidence !== null && typeof d.evidence === "object" && !Array.isArray(d.evidence)
        ? (d.evidence as DriftPointDetail["evidence"])
        : {},
  }));
}
