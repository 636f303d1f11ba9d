"use client";

import { useQuery } from "@tanstack/react-query";
import { queries } from "@/lib/api/queries";
import { ContextSizeChart } from "@/components/context/context-size-chart";

export type ConnectedContextSizeChartProps = {
  runId: string;
  project?: string;
  currentSpanId?: string | null;
  onSelect?: (spanId: string) => void;
};

/** Loads the run's context size series (GET /api/v1/runs/{runId}/context) and charts it. */
export function ConnectedContextSizeChart({
  runId,
  project = "default",
  currentSpanId,
  onSelect,
}: ConnectedContextSizeChartProps) {
  const { data, error, isPending } = useQuery(queries.context(runId, project));
  if (error) return <p className="text-xs text-red-600 dark:text-red-400">Could not load the context sizes: {error.message}</p>;
  if (isPending) return <p className="text-xs text-zinc-500">Loading context sizes…</p>;
  return <ContextSizeChart points={data.points} currentSpanId={currentSpanId} onSelect={onSelect} />;
}
