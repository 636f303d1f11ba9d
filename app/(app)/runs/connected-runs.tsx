"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { queries } from "@/lib/api/queries";
import { RUN_STATUSES, type RunPage } from "@/lib/api/schemas";
import { agentOptions } from "@/lib/runs/agent-options";
import { DEFAULT_RUN_SORT, nextRunSort, runSortParams, type RunSort, type SortOrder } from "@/lib/runs/sort";
import { RunsTable } from "@/components/runs/runs-table";
import { RunsEmpty } from "@/components/runs/runs-empty";
import { StatusFilter } from "@/components/runs/status-filter";
import { AgentFilter } from "@/components/runs/agent-filter";
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
  /** Only this agent's runs (`?agent=<id>`). */
  agent: string;
  /** Only the runs of this session (`?session=`, from the Sessions page or a run's session link). */
  session: string;
  sort: RunSort;
  order: SortOrder;
  cursor: string;
  collectorUrl: string;
  renderedAt: number;
};

/** Data-bound run list: URL state (filters, order, page) -> query -> RunsTable. */
export function ConnectedRuns({
  initialPage,
  project,
  status,
  agent,
  session,
  sort,
  order,
  cursor,
  collectorUrl,
  renderedAt,
}: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const live = useLive();
  const sorted = sort !== DEFAULT_RUN_SORT.sort || order !== DEFAULT_RUN_SORT.order;
  const { data, isFetching, error } = useQuery({
    ...queries.runs({ project, status, agent, session, ...runSortParams({ sort, order }), cursor }),
    refetchInterval: live ? false : 5_000,
    initialData: initialPage,
    initialDataUpdatedAt: renderedAt,
  });
  const agents = useQuery(queries.agents(project));
  const now = useNow(renderedAt);

  // Every change of filter or order starts again from the first page: a cursor belongs to one order.
  const navigate = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    router.push(next.size ? `${pathname}?${next}` : pathname);
  };
  const selected = status ? status.split(",") : [];
  const filtered = selected.length > 0 || !!agent || !!session;
  const onSort = (key: RunSort) => {
    const next = runSortParams(nextRunSort({ sort, order }, key));
    navigate({ sort: next.sort, order: next.order, cursor: undefined });
  };
  const agentLabel = data.runs.find((r) => r.agent?.id === agent)?.agent?.serviceName ?? "Selected agent";

  return (
    <>
      <PageHeader
        title="Runs"
        description={
          sorted ? "Every agent execution Causeway has seen." : "Every agent execution Causeway has seen, newest first."
        }
        actions={<LiveStatus error={error} isFetching={isFetching} live={live} />}
      />
      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2">
        <StatusFilter
          statuses={RUN_STATUSES}
          selected={selected}
          onChange={(next) => navigate({ status: next.join(",") || undefined, cursor: undefined })}
        />
        <AgentFilter
          options={agentOptions(agents.data?.agents ?? [])}
          selected={agent}
          selectedLabel={agentLabel}
          onChange={(id) => navigate({ agent: id || undefined, cursor: undefined })}
        />
        {session && <SessionChip sessionId={session} onRemove={() => navigate({ session: undefined, cursor: undefined })} />}
        {filtered && (
          <Button
            variant="ghost"
            className="px-2 py-1 text-xs"
            onClick={() => navigate({ status: undefined, agent: undefined, session: undefined, cursor: undefined })}
          >
            Clear filters
          </Button>
        )}
      </div>
      <Card>
        {data.runs.length === 0 ? (
          <RunsEmpty filtered={filtered || !!cursor} collectorUrl={collectorUrl} />
        ) : (
          <RunsTable runs={data.runs} now={now} sessionColumn={!session} sort={{ sort, order }} onSort={onSort} />
        )}
        {(cursor || data.nextCursor) && (
          <div className="flex justify-end gap-2 border-t border-zinc-200 px-4 py-2 dark:border-zinc-800">
            {cursor && (
              <Button variant="secondary" onClick={() => navigate({ cursor: undefined })}>
                {sorted ? "First page" : "Newest"}
              </Button>
            )}
            {data.nextCursor && (
              <Button variant="secondary" onClick={() => navigate({ cursor: data.nextCursor ?? undefined })}>
                {sorted ? "Next page →" : "Older runs →"}
              </Button>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
