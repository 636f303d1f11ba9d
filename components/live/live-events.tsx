"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

/**
 * One Server-Sent Events connection per tab (GET /api/v1/events). A "runs" event
 * invalidates the run list and the changed runs' queries, coalesced so a busy
 * collector cannot cause a refetch storm. `live` tells views whether to keep
 * polling as a fallback (stream down, or the server's notifications down).
 */
const LiveContext = createContext(false);
const COALESCE_MS = 400;

export function LiveEventsProvider({ project = "default", children }: { project?: string; children: ReactNode }) {
  const client = useQueryClient();
  const [live, setLive] = useState(false);

  useEffect(() => {
    const source = new EventSource(`/api/v1/events?project=${encodeURIComponent(project)}`);
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      void client.invalidateQueries({ queryKey: ["runs"] });
      for (const runId of pending) void client.invalidateQueries({ queryKey: ["run", project, runId] });
      pending.clear();
    };
    source.addEventListener("runs", (e) => {
      for (const id of (JSON.parse(e.data) as { runIds: string[] }).runIds) pending.add(id);
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    source.addEventListener("status", (e) => setLive((JSON.parse(e.data) as { live: boolean }).live));
    source.onerror = () => setLive(false);
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [client, project]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

/** True while change notifications flow, so views can stop polling. */
export function useLive(): boolean {
  return useContext(LiveContext);
}

/** Polling interval for a view: none while live notifications flow, `fallbackMs` otherwise. */
export function usePollInterval(fallbackMs: number): number | false {
  return useLive() ? false : fallbackMs;
}
