"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

/**
 * One Server-Sent Events connection per tab (GET /api/v1/events). A "runs" event
 * invalidates the run and session lists and the changed runs' queries, coalesced so a busy
 * collector cannot cause a refetch storm. A "control" event refreshes the control
 * views of the runs and agents it names (and the runs' status, which follows what the
 * agent applied) after a shorter wait: a person who just pressed Kill is watching.
 * `live` tells views whether to keep polling as a fallback (stream down, or the
 * server's notifications down).
 */
const LiveContext = createContext(false);
const COALESCE_MS = 400;
const CONTROL_COALESCE_MS = 100;

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
      // A changed run changes its session's counts (and a new session appears): the session list follows.
      void client.invalidateQueries({ queryKey: ["sessions"] });
      for (const runId of pending) void client.invalidateQueries({ queryKey: ["run", project, runId] });
      pending.clear();
    };
    source.addEventListener("runs", (e) => {
      for (const id of (JSON.parse(e.data) as { runIds: string[] }).runIds) pending.add(id);
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    const controlRuns = new Set<string>();
    const controlAgents = new Set<string>();
    let controlTimer: ReturnType<typeof setTimeout> | null = null;
    const flushControl = () => {
      controlTimer = null;
      for (const runId of controlRuns) {
        void client.invalidateQueries({ queryKey: ["run-control", project, runId] });
        pending.add(runId);
      }
      // An agent command changes the state of every run bound to the agent, and a run's client coming or
      // going changes its agent's count of connected runs; only the views on screen refetch.
      if (controlAgents.size) void client.invalidateQueries({ queryKey: ["run-control", project] });
      void client.invalidateQueries({ queryKey: ["agent-control", project] });
      if (controlRuns.size) timer ??= setTimeout(flush, 0);
      controlRuns.clear();
      controlAgents.clear();
    };
    source.addEventListener("control", (e) => {
      const c = JSON.parse(e.data) as { runIds: string[]; agentIds: string[] };
      for (const id of c.runIds) controlRuns.add(id);
      for (const id of c.agentIds) controlAgents.add(id);
      controlTimer ??= setTimeout(flushControl, CONTROL_COALESCE_MS);
    });
    source.addEventListener("status", (e) => setLive((JSON.parse(e.data) as { live: boolean }).live));
    source.onerror = () => setLive(false);
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
      if (controlTimer) clearTimeout(controlTimer);
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
