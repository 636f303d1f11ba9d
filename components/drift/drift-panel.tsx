import { useMemo } from "react";
import type { DriftEvidence } from "@/lib/api/drift-schemas";
import type { RunDetail } from "@/lib/api/schemas";
import { detectorLabel } from "@/lib/drift/labels";
import { DriftBadge } from "@/components/drift/drift-badge";
import { orderDriftPoints, stepLookup } from "@/components/drift/drift-order";
import { EvidenceView } from "@/components/drift/evidence-view";

export type DriftPanelProps = {
  driftPoints: RunDetail["driftPoints"];
  /** The run's steps in the run view's order: findings are sorted by them and their steps numbered. */
  steps?: readonly { spanId: string; name: string }[];
  /** Evidence by drift point id (GET /api/v1/runs/{runId}/drift); a finding without it shows none yet. */
  evidence?: ReadonlyMap<string, DriftEvidence>;
  selectedSpanId?: string | null;
  onSelect: (spanId: string) => void;
};

/**
 * A run's findings, in step order: severity, detector, what was found, the step (a
 * button selecting it) and the evidence behind it. Presentational: the run view passes
 * the drift points it has and, when loaded, their evidence.
 */
export function DriftPanel({ driftPoints, steps, evidence, selectedSpanId, onSelect }: DriftPanelProps) {
  // A run can have 100k steps: the lookup is built once per run and the order once per set of findings,
  // not on every selection.
  const lookup = useMemo(() => stepLookup(steps), [steps]);
  const ordered = useMemo(() => orderDriftPoints(driftPoints, lookup), [driftPoints, lookup]);
  if (driftPoints.length === 0) return <p className="px-4 py-6 text-center text-sm text-zinc-500">No drift found in this run.</p>;
  return (
    <ol aria-label="Drift points" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {ordered.map(({ point, step }) => {
        const ev = evidence?.get(point.id);
        const selected = point.spanId === selectedSpanId;
        return (
          <li
            key={point.id}
            data-drift-id={point.id}
            aria-current={selected ? "step" : undefined}
            className={`px-4 py-3 ${selected ? "bg-sky-50/70 dark:bg-sky-950/30" : ""}`}
          >
            <div className="flex flex-wrap items-center gap-2">
              <DriftBadge severity={point.severity} />
              <span className="text-xs font-medium text-zinc-700 dark:text-zinc-300">{detectorLabel(point.detector)}</span>
              {ev?.rule && <span className="font-mono text-[11px] text-zinc-500">{ev.rule}</span>}
              <button
                type="button"
                onClick={() => onSelect(point.spanId)}
                title={lookup.get(point.spanId)?.name ?? point.spanId}
                className="ml-auto rounded-md px-2 py-0.5 text-xs font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-sky-950"
              >
                {step === null ? "go to step" : `step ${step}`} →
              </button>
            </div>
            <p className="mt-1.5 text-sm break-words">{point.summary}</p>
            {ev && (
              <details className="mt-1.5">
                <summary className="cursor-pointer text-xs text-zinc-500 select-none hover:text-zinc-700 dark:hover:text-zinc-300">
                  Evidence
                </summary>
                <div className="mt-2">
                  <EvidenceView evidence={ev} steps={lookup} onSelect={onSelect} />
                </div>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
