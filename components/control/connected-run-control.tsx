"use client";

import { useId, useMemo, useState } from "react";
import type { RunSummary, StepSummary } from "@/lib/api/schemas";
import { AgentControl } from "@/components/control/agent-control";
import { RunControlBar } from "@/components/control/control-bar";
import { ControlHistory } from "@/components/control/control-history";
import { agentButtons, commandStatus, latestCommand, runButtons } from "@/components/control/control-view";
import { KillDialog } from "@/components/control/kill-dialog";
import { useAgentControl, useControlCommand, useOperator, useRunControl } from "@/components/control/use-control";

type Props = {
  runId: string;
  project: string;
  run: RunSummary;
  /** The run's steps, to name the step where a command took effect. */
  steps: readonly StepSummary[];
  onSelectStep(spanId: string): void;
};

/**
 * Live control on the run page: the run's control state and buttons, its agent's, the
 * kill confirmation, and the run's command history. State comes from the control API and
 * refreshes on "control" events (see components/live/live-events.tsx).
 */
export function ConnectedRunControl({ runId, project, run, steps, onSelectStep }: Props) {
  const titleId = useId();
  const who = useOperator();
  const { data, error } = useRunControl(runId, project, run.status);
  const agentId = data?.state.agent?.id ?? run.agent?.id ?? null;
  const agent = useAgentControl(agentId, project);
  const runCommand = useControlCommand({ kind: "run", runId }, project);
  const agentCommand = useControlCommand({ kind: "agent", agentId: agentId ?? "" }, project);
  const [killing, setKilling] = useState<"run" | "agent" | null>(null);

  const stepNames = useMemo(() => {
    const wanted = new Set(data?.history.flatMap((e) => (e.appliedSpanId ? [e.appliedSpanId] : [])));
    return new Map(steps.filter((s) => wanted.has(s.spanId)).map((s) => [s.spanId, s.name]));
  }, [data, steps]);
  const stepName = (spanId: string) => stepNames.get(spanId);

  if (error) return <p className="mb-4 text-sm text-red-600">Could not load the run&apos;s control state: {error.message}</p>;
  if (!data) return <p className="mb-4 text-sm text-zinc-500">Loading control state…</p>;

  const buttons = runButtons(data.state, who);
  const latest = latestCommand(data.history);
  const agentState = agent.data?.state;
  const command = killing === "agent" ? agentCommand : runCommand;
  const startKill = (target: "run" | "agent") => {
    (target === "run" ? runCommand : agentCommand).reset();
    setKilling(target);
  };

  return (
    <section
      aria-labelledby={titleId}
      className="mb-4 rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <h2 id={titleId} className="border-b border-zinc-200 px-4 py-2.5 text-sm font-semibold dark:border-zinc-800">
        Live control
      </h2>
      <RunControlBar
        state={data.state}
        latest={latest}
        latestStatus={latest ? commandStatus(latest, data.history) : null}
        buttons={buttons}
        stepName={stepName}
        onSelectStep={onSelectStep}
        onToggle={() => runCommand.mutate({ action: buttons.toggle.action })}
        onKill={() => startKill("run")}
        pending={runCommand.isPending}
        error={killing ? null : (runCommand.error?.message ?? null)}
      />
      {agentState && (
        <AgentControl
          state={agentState}
          buttons={agentButtons(agentState.desired, who)}
          onToggle={() => agentCommand.mutate({ action: agentState.desired === "running" ? "pause" : "resume" })}
          onKill={() => startKill("agent")}
          pending={agentCommand.isPending}
          shownReason={buttons.kill.disabledReason}
        />
      )}
      {!killing && agentCommand.error && <p className="px-4 pb-3 text-xs text-red-600">{agentCommand.error.message}</p>}
      {data.history.length > 0 && (
        <details open className="group border-t border-zinc-200 dark:border-zinc-800">
          <summary className="cursor-pointer px-4 py-2 text-xs font-medium text-zinc-600 select-none dark:text-zinc-400">
            Control history ({data.history.length})
          </summary>
          <ControlHistory history={data.history} stepName={stepName} onSelectStep={onSelectStep} />
        </details>
      )}
      <KillDialog
        open={killing !== null}
        title={killing === "agent" ? `Kill agent ${agentState?.serviceName ?? ""}?` : "Kill this run?"}
        description={
          killing === "agent"
            ? `Every live run of this agent (${agentState?.liveRuns ?? 0} now) is killed, and its new runs are refused until the agent is resumed. The runs it kills stay killed.`
            : "The agent aborts the model or tool call in flight and starts no further step. A kill cannot be undone."
        }
        confirmLabel={killing === "agent" ? "Kill agent" : "Kill run"}
        pending={command.isPending}
        error={command.error?.message ?? null}
        onConfirm={(reason) => command.mutate({ action: "kill", reason }, { onSuccess: () => setKilling(null) })}
        onClose={() => setKilling(null)}
      />
    </section>
  );
}
