import { useId } from "react";
import type { AgentControlState } from "@/lib/api/control-schemas";
import { Badge } from "@/components/ui/badge";
import { CommandButtonView } from "@/components/control/control-bar";
import { VERB, type RunButtons } from "@/components/control/control-view";

type Props = {
  state: AgentControlState;
  buttons: RunButtons;
  onToggle(): void;
  onKill(): void;
  pending: boolean;
  /** A reason already shown for the run's buttons (the role) is not repeated here. */
  shownReason?: string | null;
};

const TONE = { running: "ok", paused: "warn", killed: "killed" } as const;

/**
 * The agent behind the run (one process: service.name + instance): a command here
 * reaches all its live runs, and a kill refuses its new runs until it is resumed.
 */
export function AgentControl({ state, buttons, onToggle, onKill, pending, shownReason }: Props) {
  const reasonId = useId();
  const disabled = buttons.kill.disabledReason ?? buttons.toggle.disabledReason;
  const runs = `${state.liveRuns} live run${state.liveRuns === 1 ? "" : "s"}, ${state.connectedClients} connected`;
  return (
    <div
      role="group"
      aria-label="Agent control"
      className="space-y-1 border-t border-zinc-200 px-4 py-3 dark:border-zinc-800"
      data-agent-id={state.agentId}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <span className="text-xs text-zinc-500">Agent</span>
        <span className="text-sm font-medium">{state.serviceName}</span>
        <span className="max-w-56 truncate font-mono text-[11px] text-zinc-500" title={state.instanceId}>
          {state.instanceId}
        </span>
        <span role="status" aria-label="Agent control state" data-desired={state.desired}>
          {state.version === 0 ? <Badge>no command given</Badge> : <Badge tone={TONE[state.desired]}>{state.desired}</Badge>}
        </span>
        <span className="text-xs text-zinc-500">{runs}</span>
        {state.version > 0 && state.actor && (
          <span className="min-w-0 truncate text-xs text-zinc-600 dark:text-zinc-400" title={state.reason}>
            by {state.actor}
            {state.reason && <>: “{state.reason}”</>}
          </span>
        )}
        <span className="ml-auto flex gap-2">
          <CommandButtonView
            button={buttons.toggle}
            label={`${VERB[buttons.toggle.action]} agent`}
            describedBy={reasonId}
            pending={pending}
            onClick={onToggle}
          />
          <CommandButtonView
            button={buttons.kill}
            label="Kill agent…"
            danger
            describedBy={reasonId}
            pending={pending}
            onClick={onKill}
          />
        </span>
      </div>
      {state.desired === "killed" && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">New runs of this agent are refused until it is resumed.</p>
      )}
      {disabled && (
        <p id={reasonId} hidden={disabled === shownReason} className="text-right text-xs text-zinc-500">
          {disabled}
        </p>
      )}
    </div>
  );
}
