"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { queries } from "@/lib/api/queries";
import { DriftPanel, type DriftPanelProps } from "@/components/drift/drift-panel";

/**
 * The drift panel with its evidence loaded (GET /api/v1/runs/{runId}/drift). The
 * evidence is fetched again whenever the run's drift points change (a live run's
 * loop grows), and the previous evidence stays on screen meanwhile.
 */
export function ConnectedDriftPanel({
  runId,
  project = "default",
  ...props
}: Omit<DriftPanelProps, "evidence"> & { runId: string; project?: string }) {
  const version = props.driftPoints.map((d) => `${d.id}:${d.severity}:${d.score}`).join(",");
  const { data } = useQuery({
    ...queries.runDrift(runId, project, version),
    enabled: props.driftPoints.length > 0,
    placeholderData: keepPreviousData,
  });
  const evidence = useMemo(() => new Map(data?.driftPoints.map((d) => [d.id, d.evidence])), [data]);
  return <DriftPanel {...props} evidence={evidence} />;
}
