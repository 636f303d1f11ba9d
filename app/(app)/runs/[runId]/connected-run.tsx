"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { queries } from "@/lib/api/queries";
import { replayOrder } from "@/lib/runs/replay";
import { buildWaterfall } from "@/lib/runs/waterfall";
import { RunHeader } from "@/components/run/run-header";
import { Timeline } from "@/components/timeline/timeline";
import { ReplayBar } from "@/components/replay/replay-bar";
import { useReplay } from "@/components/replay/use-replay";
import { useLive } from "@/components/live/live-events";
import { Card } from "@/components/ui/card";
import { ConnectedStepDetail } from "@/components/step/connected-step-detail";
import { ConnectedContextSizeChart } from "@/components/context/connected-context-size-chart";
import { StepLinks } from "@/components/run/step-links";
import { DecisionGraph } from "@/components/run-graph/decision-graph";
import { ConnectedRunControl } from "@/components/control/connected-run-control";
import { useControlMarks } from "@/components/control/use-control";
import { ConnectedDriftPanel } from "@/components/drift/connected-drift-panel";
import { DriftCountBadge, maxDriftSeverity } from "@/components/drift/drift-badge";

type Props = { runId: string; project: string; initialStep: string | null };

/**
 * Data-bound run view: loads the run (no bodies), derives the decision path, and
 * keeps graph, timeline and step panes on one selected step whose id is in the URL.
 * A live run refetches when the collector reports new spans (polling as fallback).
 */
export function ConnectedRun({ runId, project, initialStep }: Props) {
  const live = useLive();
  const { data: detail, error } = useQuery({
    ...queries.run(runId, project),
    refetchInterval: (q) => (q.state.data?.run.status === "live" && !live ? 2_000 : false),
  });
  const order = useMemo(() => (detail ? replayOrder(detail) : []), [detail]);
  const rows = useMemo(() => (detail ? buildWaterfall(detail) : []), [detail]);
  const drifted = useMemo(() => new Set(detail?.driftPoints.map((d) => d.spanId)), [detail]);
  const replay = useReplay(order, drifted, initialStep);
  const controlMarks = useControlMarks(runId, project);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggleExpand = useCallback(
    (id: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const selectedRow = useMemo(() => rows.find((r) => r.step.spanId === replay.selected) ?? null, [rows, replay.selected]);

  // Replay reads ahead: the next step's bodies are fetched while this one is shown.
  const client = useQueryClient();
  const upcoming = replay.position >= 0 ? order[replay.position + 1] : undefined;
  useEffect(() => {
    if (upcoming) void client.prefetchQuery(queries.step(runId, upcoming, project));
  }, [client, upcoming, runId, project]);

  if (error) return <p className="text-sm text-red-600">Could not load the run: {error.message}</p>;
  if (!detail) return <p className="text-sm text-zinc-500">Loading run…</p>;
  return (
    <div data-run-ready="true">
      <RunHeader run={detail.run} />
      <ConnectedRunControl runId={runId} project={project} run={detail.run} steps={detail.steps} onSelectStep={replay.select} />
      <div className="mb-3">
        <ReplayBar
          position={replay.position}
          length={order.length}
          playing={replay.playing}
          speed={replay.speed}
          hasPrevDrift={replay.hasPrevDrift}
          hasNextDrift={replay.hasNextDrift}
          onMove={replay.move}
          onJump={replay.jump}
          onPlay={replay.setPlaying}
          onSpeed={replay.setSpeed}
          onDrift={replay.drift}
        />
      </div>
      <div className="mb-4">
        <Card title="Decision graph">
          <DecisionGraph
            detail={detail}
            selectedSpanId={replay.selected}
            onSelect={replay.select}
            expanded={expanded}
            onToggleExpand={toggleExpand}
            className="h-[460px]"
          />
        </Card>
      </div>
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(26rem,38%)]">
        <div className="min-w-0 space-y-4">
          {detail.driftPoints.length > 0 && (
            <Card
              title={
                <span className="flex items-center gap-2">
                  Drift
                  <DriftCountBadge count={detail.driftPoints.length} severity={maxDriftSeverity(detail.driftPoints)} />
                </span>
              }
            >
              <ConnectedDriftPanel
                runId={runId}
                project={project}
                driftPoints={detail.driftPoints}
                steps={detail.steps}
                selectedSpanId={replay.selected}
                onSelect={replay.select}
              />
            </Card>
          )}
          <Card title={`Timeline (${detail.steps.length.toLocaleString("en-US")} steps)`}>
            <Timeline
              rows={rows}
              selectedSpanId={replay.selected}
              onSelect={replay.select}
              drifted={drifted}
              marks={controlMarks}
            />
          </Card>
          {detail.run.llmCallCount > 0 && (
            <Card title="Context size per model call">
              <div className="p-3">
                <ConnectedContextSizeChart
                  runId={runId}
                  project={project}
                  currentSpanId={replay.selected}
                  onSelect={replay.select}
                />
              </div>
            </Card>
          )}
        </div>
        <aside
          aria-label="Selected step"
          data-selected-step={replay.selected ?? ""}
          className="min-w-0 xl:sticky xl:top-4 xl:max-h-[calc(100vh-2rem)] xl:self-start xl:overflow-auto"
        >
          <Card>
            <div className="space-y-3 p-4">
              {replay.selected && selectedRow ? (
                <>
                  <StepLinks links={selectedRow.links} onSelect={replay.select} />
                  <ConnectedStepDetail runId={runId} spanId={replay.selected} project={project} onSelectStep={replay.select} />
                </>
              ) : (
                <p className="text-sm text-zinc-500">
                  Select a step in the timeline or the graph, or press → to replay the run from its first decision.
                </p>
              )}
            </div>
          </Card>
        </aside>
      </div>
    </div>
  );
}
