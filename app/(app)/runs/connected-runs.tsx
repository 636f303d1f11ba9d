"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { queries } from "@/lib/api/queries";
import { RUN_STATUSES, type RunPage } from "@/lib/api/schemas";
import { RunsTable } from "@/components/runs/runs-table";
import { RunsEmpty } from "@/components/runs/runs-empty";
import { StatusFilter } from "@/components/runs/status-filter";
import { SessionChip } from "@/components/runs/session-chip";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { useNow } from "@/components/ui/use-now";
import { useLive } from "@/components/live/live-events";
import { LiveStatus } from "@/components/live/live-status";

type Props = {
  initialPage: RunPage;
  project: string;
  status: string;
  /** Only the runs of this session (`?session=`, from the Sessions page or a run's session link). */
  session: string;
  cursor: string;
  collectorUrl: string;
  renderedAt: number;
};

/** Data-bound run list: URL state (filters, page) -> query -> RunsTable. */
export function ConnectedRuns({ initialPage, project, status, session, cursor, collectorUrl, renderedAt }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const live = useLive();
  const { data, isFetching, error } = useQuery({
    ...queries.runs({ project, status, session, cursor }),
    refetchInterval: live ? false : 5_000,
    initialData: initialPage,
    initialDataUpdatedAt: renderedAt,
  });
  const now = useNow(renderedAt);

  const navigate = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.push(next.size ? `${pathname}?${next}` : pathname);
  };
  const selected = status ? status.split(",") : [];

  return (
    <>
      <PageHeader
        title="Runs"
        description="Every agent execution Causeway has seen, newest first."
        actions={<LiveStatus error={error} isFetching={isFetching} live={live} />}
      />
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2">
        <StatusFilter
          statuses={RUN_STATUSES}
          selected={selected}
          onChange={(next) => navigate({ status: next.join(",") || undefined, cursor: undefined })}
        />
        {session && <SessionChip sessionId={session} onRemove={() => navigate({ session: undefined, cursor: undefined })} />}
      </div>
      <Card>
        {data.runs.length === 0 ? (
          <RunsEmpty filtered={selected.length > 0 || !!session || !!cursor} collectorUrl={collectorUrl} />
        ) : (
          <RunsTable runs={data.runs} now={now} sessionColumn={!session} />
        )}
        {(cursor || data.nextCursor) && (
          <div className="flex justify-end gap-2 border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
            {cursor && (
              <Button variant="secondary" onClick={() => navigate({ cursor: undefined })}>
                Newest
              </Button>
            )}
            {data.nextCursor && (
              <Button variant="secondary" onClick={() => navigate({ cursor: data.nextCursor ?? undefined })}>
                Older runs →
              </Button>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
