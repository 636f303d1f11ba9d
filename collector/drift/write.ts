import { maxSeverity, severityRank, type DriftFinding, type Severity } from "@/lib/drift/types";
import type { RunRef } from "@/lib/live/channels";
import type { Queryable } from "@/collector/drift/load";

/**
 * Makes the run's stored drift points equal the findings of its latest evaluation, and
 * keeps runs.drift_count / max_drift_severity in step — in one statement, so it is
 * atomic without a transaction (on the embedded database a transaction would hold up
 * every other connection, including span writes). After it the run's drift points are
 * exactly `findings`, so the run's aggregates are computed from them, not re-counted.
 *
 * Unchanged findings are not rewritten (no churn for live views); findings the data no
 * longer supports (a late span broke a loop apart) are removed.
 */
export type SaveResult = {
  /** Anything stored changed: the run's live views should refresh. */
  changed: boolean;
  /** Findings that are new, or more severe than before: what a policy layer acts on. */
  raised: DriftFinding[];
};

const SAVE = `
  WITH old AS (
    SELECT span_id, detector, severity FROM drift_points WHERE project_id = $1 AND run_id = $2
  ), up AS (
    INSERT INTO drift_points (project_id, run_id, span_id, detector, severity, score, summary, evidence)
    SELECT $1, $2, t.s, t.d, t.sev::"DriftSeverity", t.sc, t.su, t.ev::jsonb
    FROM unnest($3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::text[]) AS t(s, d, sev, sc, su, ev)
    ON CONFLICT (project_id, run_id, span_id, detector) DO UPDATE SET
      severity = EXCLUDED.severity, score = EXCLUDED.score, summary = EXCLUDED.summary, evidence = EXCLUDED.evidence
    WHERE (drift_points.severity, drift_points.score, drift_points.summary, drift_points.evidence)
      IS DISTINCT FROM (EXCLUDED.severity, EXCLUDED.score, EXCLUDED.summary, EXCLUDED.evidence)
    RETURNING span_id, detector
  ), gone AS (
    DELETE FROM drift_points d WHERE d.project_id = $1 AND d.run_id = $2
      AND NOT EXISTS (SELECT 1 FROM unnest($3::text[], $4::text[]) AS k(s, det) WHERE k.s = d.span_id AND k.det = d.detector)
    RETURNING 1
  ), run AS (
    UPDATE runs SET drift_count = $9, max_drift_severity = $10::"DriftSeverity"
    WHERE project_id = $1 AND id = $2
      AND (drift_count, max_drift_severity) IS DISTINCT FROM ($9::int, $10::"DriftSeverity")
    RETURNING 1
  )
  SELECT
    (SELECT coalesce(json_agg(json_build_object('spanId', up.span_id, 'detector', up.detector, 'was', old.severity)), '[]')
       FROM up LEFT JOIN old ON old.span_id = up.span_id AND old.detector = up.detector) AS upserted,
    (SELECT count(*) FROM gone)::int + (SELECT count(*) FROM run)::int AS other_changes`;

export async function saveFindings(db: Queryable, run: RunRef, findings: DriftFinding[]): Promise<SaveResult> {
  const { rows } = await db.query<{
    upserted: { spanId: string; detector: string; was: Severity | null }[];
    other_changes: number;
  }>(SAVE, [
    run.projectId,
    run.runId,
    findings.map((f) => f.spanId),
    findings.map((f) => f.detector),
    findings.map((f) => f.severity),
    findings.map((f) => f.score),
    findings.map((f) => f.summary),
    findings.map((f) => JSON.stringify(f.evidence)),
    findings.length,
    maxSeverity(findings.map((f) => f.severity)),
  ]);
  const { upserted, other_changes } = rows[0]!;
  const byKey = new Map(findings.map((f) => [`${f.spanId}\u0000${f.detector}`, f]));
  const raised = upserted.flatMap(({ spanId, detector, was }) => {
    const f = byKey.get(`${spanId}\u0000${detector}`);
    return f && (was === null || severityRank(f.severity) > severityRank(was)) ? [f] : [];
  });
  return { changed: upserted.length > 0 || other_changes > 0, raised };
}
