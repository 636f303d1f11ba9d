import { useId } from "react";
import type { ControlEventView, RunControlState } from "@/lib/api/control-schemas";
import { formatTimestamp } from "@/lib/format";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/field";
import { CommandProgress } from "@/components/control/command-progress";
import { VERB, waitingFor, type CommandButton, type CommandStatus, type RunButtons } from "@/components/control/control-view";

type Props = {
  state: RunControlState;
  latest: ControlEventView | null;
  latestStatus: CommandStatus | null;
  buttons: RunButtons;
  stepName(spanId: string): string | undefined;
  onSelectStep(spanId: string): void;
  onToggle(): void;
  onKill(): void;
  pending: boolean;
  error: string | null;
};

const TONE = { running: "ok", paused: "warn", killed: "killed" } as const satisfies Record<string, Tone>;

/**
 * The run's control state and its buttons: what the agent was told (and by whom, why),
 * whether a control client listens, and where the latest command is.
 */
export function RunControlBar(p: Props) {
  const { state, latest, latestStatus } = p;
  const reasonId = useId();
  const disabled = p.buttons.kill.disabledReason ?? p.buttons.toggle.disabledReason;
  return (
    <div className="space-y-2 px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <span className="text-xs text-zinc-500">Run</span>
        <span role="status" aria-label="Control state" data-desired={state.desired} data-version={state.version}>
          {state.version === 0 ? <Badge>no command given</Badge> : <Badge tone={TONE[state.desired]}>{state.desired}</Badge>}
        </span>
        <ClientPresence connected={state.client.connected} lastSeenAt={state.client.lastSeenAt} />
        {state.version > 0 && state.actor && (
          <span className="min-w-0 truncate text-xs text-zinc-600 dark:text-zinc-400" title={state.reason}>
            {state.desired === "running" ? "resumed" : state.desired} by {state.actor}
            {state.source === "agent" && " (through its agent)"}
            {state.reason && <>: “{state.reason}”</>}
          </span>
        )}
        <span className="ml-auto flex gap-2">
          <CommandButtonView
            button={p.buttons.toggle}
            label={`${VERB[p.buttons.toggle.action]} run`}
            describedBy={reasonId}
            pending={p.pending}
            onClick={p.onToggle}
          />
          <CommandButtonView
            button={p.buttons.kill}
            label="Kill run…"
            danger
            describedBy={reasonId}
            pending={p.pending}
            onClick={p.onKill}
          />
        </span>
      </div>
      {disabled && (
        <p id={reasonId} className="text-right text-xs text-zinc-500">
          {disabled}
        </p>
      )}
      <ErrorText>{p.error}</ErrorText>
      {latest && latestStatus && (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span className="text-xs text-zinc-500">
            {VERB[latest.action]} {latest.scope === "agent" ? "(agent command)" : ""}
          </span>
          <CommandProgress
            event={latest}
            status={latestStatus}
            stepName={latest.appliedSpanId ? p.stepName(latest.appliedSpanId) : undefined}
            onSelectStep={p.onSelectStep}
          />
          <Waiting status={latestStatus} event={latest} connected={state.client.connected} />
        </div>
      )}
    </div>
  );
}

function Waiting({ status, event, connected }: { status: CommandStatus; event: ControlEventView; connected: boolean }) {
  const text = waitingFor(status, event.action, connected);
  if (!text) return null;
  return <span className="text-xs text-zinc-500">{text}</span>;
}

export function ClientPresence({ connected, lastSeenAt }: { connected: boolean; lastSeenAt: string | null }) {
  return (
    <span
      data-connected={connected}
      className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400"
      title={lastSeenAt ? `Last heard from ${formatTimestamp(lastSeenAt)}` : "Never connected"}
    >
      <span
        aria-hidden
        className={`size-2 rounded-full ${connected ? "bg-emerald-500" : "border border-zinc-400 dark:border-zinc-500"}`}
      />
      {connected ? "control client connected" : "no control client connected"}
    </span>
  );
}

export function CommandButtonView(p: {
  button: CommandButton;
  label: string;
  danger?: boolean;
  describedBy: string;
  pending: boolean;
  onClick(): void;
}) {
  const reason = p.button.disabledReason;
  return (
    <Button
      variant={p.danger ? "danger" : "secondary"}
      className="py-1 text-xs"
      disabled={reason !== null || p.pending}
      aria-describedby={reason ? p.describedBy : undefined}
      title={reason ?? undefined}
      onClick={p.onClick}
    >
      {p.label}
    </Button>
  );
}
