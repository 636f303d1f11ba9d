"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api/client";
import { agentControlCommandResult, runControlCommandResult, type RunControl } from "@/lib/api/control-schemas";
import { queries } from "@/lib/api/queries";
import { roleAtLeast } from "@/lib/auth/access";
import type { ControlAction } from "@/lib/control/state";
import { useLive } from "@/components/live/live-events";
import { controlMarks, controlMayChange, type Operator } from "@/components/control/control-view";

/** Polling while live events are down: the person watching a command expects to see it land within a second. */
const FALLBACK_POLL_MS = 1_000;

/** The run's control state and history; refreshed by "control" events, polled only when they do not flow. */
export function useRunControl(runId: string, project: string, runStatus: string) {
  const live = useLive();
  return useQuery({
    ...queries.runControl(runId, project),
    refetchInterval: (q) => (!live && controlMayChange(q.state.data?.state, runStatus) ? FALLBACK_POLL_MS : false),
  });
}

export function useAgentControl(agentId: string | null, project: string) {
  const live = useLive();
  return useQuery({
    ...queries.agentControl(agentId ?? "", project),
    enabled: agentId !== null,
    refetchInterval: live ? false : FALLBACK_POLL_MS * 5,
  });
}

/** The steps where commands took effect, for the timeline (shares the control query's cache). */
export function useControlMarks(runId: string, project: string): ReadonlyMap<string, string> | undefined {
  const { data } = useQuery({ ...queries.runControl(runId, project), select: marksOf });
  return data;
}

/** Stable, so the marks are derived once per fetched state rather than on every render. */
const marksOf = (d: RunControl) => controlMarks(d.state, d.history);

/** Whether the signed-in person may issue commands (null until known); the API enforces the same rule. */
export function useOperator(): Operator {
  const { data } = useQuery(queries.me());
  if (!data) return { canOperate: null, role: null };
  const p = data.principal;
  if (p.kind === "admin_token") return { canOperate: true, role: "admin" };
  return { canOperate: !!p.role && roleAtLeast(p.role, "operator"), role: p.role ?? null };
}

export type CommandTarget = { kind: "run"; runId: string } | { kind: "agent"; agentId: string };

/**
 * POST a command. Each press carries a fresh idempotency key, so a retried request cannot
 * be applied twice; the views refresh at once rather than waiting for the notification.
 */
export function useControlCommand(target: CommandTarget, project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, reason }: { action: ControlAction; reason?: string }): Promise<unknown> => {
      const key = globalThis.crypto?.randomUUID?.();
      const init: RequestInit = {
        method: "POST",
        body: JSON.stringify({ action, ...(reason ? { reason } : {}) }),
        headers: key ? { "idempotency-key": key } : undefined,
      };
      const query = `control?project=${encodeURIComponent(project)}`;
      return target.kind === "run"
        ? api(runControlCommandResult, `/api/v1/runs/${target.runId}/${query}`, init)
        : api(agentControlCommandResult, `/api/v1/agents/${target.agentId}/${query}`, init);
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["run-control", project] });
      void client.invalidateQueries({ queryKey: ["agent-control", project] });
    },
  });
}
