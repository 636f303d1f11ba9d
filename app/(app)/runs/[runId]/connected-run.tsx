"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { queries } from "@/lib/api/queries";
import { replayOrder } from "@/lib/runs/replay";
import { buildWaterfall } from "@/lib/runs/waterfall";
import { RunHeader } from "@/components/run/run-header";
import { Timeline } from "@/components/timeline/timeline";
import { ReplayBar } from "@/components/replay/replay-bar";
import { useReplay } from "@/components/replay/use-replay";
import { useLive } from "@/components/live/live-events";
import { Card } from "@/components/ui/card";

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

  if (error) return <p className="text-sm text-red-600">Could not load the run: {error.message}</p>;
  if (!detail) return <p className="text-sm text-zinc-500">Loading run…</p>;
  return (
    <>
      <RunHeader run={detail.run} />
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
      <Card title={`Timeline (${detail.steps.length.toLocaleString("en-US")} steps)`}>
        <Timeline rows={rows} selectedSpanId={replay.selected} onSelect={replay.select} drifted={drifted} />
      </Card>
    </>
  );
}
