"use client";

import { useQuery } from "@tanstack/react-query";
import { queries } from "@/lib/api/queries";
import { ErrorText } from "@/components/ui/field";
import { StepDetailView } from "@/components/step/step-detail";

export type ConnectedStepDetailProps = {
  runId: string;
  spanId: string;
  project?: string;
  onSelectStep?: (spanId: string) => void;
};

/** Loads one step when it is opened (the run route carries no bodies) and shows it. */
export function ConnectedStepDetail({ runId, spanId, project = "default", onSelectStep }: ConnectedStepDetailProps) {
  const { data, error, isPending } = useQuery(queries.step(runId, spanId, project));
  if (error) return <ErrorText>Could not load the step: {error.message}</ErrorText>;
  if (isPending)
    return (
      <p role="status" className="text-xs text-zinc-500">
        Loading step…
      </p>
    );
  return <StepDetailView detail={data} onSelectStep={onSelectStep} />;
}
