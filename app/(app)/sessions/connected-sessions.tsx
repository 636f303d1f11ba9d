"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { queries } from "@/lib/api/queries";
import type { SessionPage } from "@/lib/api/schemas";
import { SessionsEmpty } from "@/components/sessions/sessions-empty";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { useNow } from "@/components/ui/use-now";
import { useLive } from "@/components/live/live-events";
import { LiveStatus } from "@/components/live/live-status";

type Props = { initialPage: SessionPage; project: string; q: string; cursor: string; renderedAt: number };
const TYPING_MS = 250;

/** Data-bound session list: URL state (id prefix, page) -> query -> SessionsTable. */
export function ConnectedSessions({ initialPage, project, q, cursor, renderedAt }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const live = useLive();
  const { data, isFetching, error } = useQuery({
    ...queries.sessions({ project, q, cursor }),
    refetchInterval: live ? false : 5_000,
    // The server rendered this exact URL; a client-side change of filter or page fetches anew.
    initialData: initialPage,
    initialDataUpdatedAt: renderedAt,
  });
  const now = useNow(renderedAt);

  const navigate = (patch: Record<string, string | undefined>, replace = false) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const url = next.size ? `${pathname}?${next}` : pathname;
    if (replace) router.replace(url);
    else router.push(url);
  };

  // The filter follows typing (debounced, replacing the history entry) and the URL follows back/forward.
  const [draft, setDraft] = useState(q);
  const [shownQ, setShownQ] = useState(q);
  if (shownQ !== q) {
    setShownQ(q);
    setDraft(q);
  }
  useEffect(() => {
    if (draft.trim() === q) return;
    const id = setTimeout(() => navigate({ q: draft.trim() || undefined, cursor: undefined }, true), TYPING_MS);
    return () => clearTimeout(id);
    // navigate is recreated each render; the draft and the URL's q are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, q]);

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Runs grouped by conversation, most recent activity first."
        actions={<LiveStatus error={error} isFetching={isFetching} live={live} />}
      />
      <div className="mb-3 max-w-sm">
        <input
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Session id starts with…"
          aria-label="Filter by session id"
          spellCheck={false}
          className="w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 font-mono text-sm text-zinc-900 placeholder:font-sans placeholder:text-zinc-400 focus:border-sky-500 focus:ring-2 focus:ring-sky-500/30 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
      </div>
      <Card>
        {data.sessions.length === 0 ? (
          <SessionsEmpty filtered={!!q || !!cursor} />
        ) : (
          <SessionsTable sessions={data.sessions} now={now} />
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
                Older sessions →
              </Button>
            )}
          </div>
        )}
      </Card>
    </>
  );
}
