import type { ControlEventView } from "@/lib/api/control-schemas";
import { formatTimestamp } from "@/lib/format";
import { Badge, type Tone } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { commandStatus, elapsed, type CommandStatus } from "@/components/control/control-view";
import { StepButton } from "@/components/control/step-button";

type Props = {
  history: readonly ControlEventView[];
  stepName(spanId: string): string | undefined;
  onSelectStep(spanId: string): void;
};

const ACTION_TONE: Record<ControlEventView["action"], Tone> = { kill: "killed", pause: "warn", resume: "ok" };
const STATUS_TONE: Record<CommandStatus, Tone> = {
  applied: "ok",
  superseded: "neutral",
  received: "live",
  delivered: "live",
  requested: "neutral",
};

/** Who did what to the run, when, why, and when (and where) the agent applied it. Newest first. */
export function ControlHistory({ history, stepName, onSelectStep }: Props) {
  return (
    <Table label="Control history">
      <thead>
        <tr>
          <Th>Issued</Th>
          <Th>Command</Th>
          <Th>By</Th>
          <Th>Reason</Th>
          <Th>Status</Th>
          <Th className="text-right">Delivered</Th>
          <Th className="text-right">Applied</Th>
          <Th>Step</Th>
        </tr>
      </thead>
      <tbody>
        {history.map((e) => {
          const status = commandStatus(e, history);
          return (
            <tr key={e.id} data-event-id={e.id} data-action={e.action} data-status={status} className="text-xs">
              <Td className="tabular-nums text-zinc-600 dark:text-zinc-400" title={formatTimestamp(e.issuedAt)}>
                {formatTimestamp(e.issuedAt).slice(11)}
              </Td>
              <Td>
                <span className="flex items-center gap-1.5">
                  <Badge tone={ACTION_TONE[e.action]}>{e.action}</Badge>
                  {e.scope === "agent" && <span className="text-[11px] text-zinc-500">via agent</span>}
                </span>
              </Td>
              <Td title={`${e.actor.label} (${e.actor.type.replace("_", " ")})`}>
                <span className="block max-w-44 truncate">{e.actor.label}</span>
              </Td>
              <Td className="text-zinc-700 dark:text-zinc-300" title={e.reason}>
                <span className="block max-w-64 truncate">{e.reason || <span className="text-zinc-400">—</span>}</span>
              </Td>
              <Td>
                <Badge tone={STATUS_TONE[status]}>{status}</Badge>
              </Td>
              <Td className="text-right tabular-nums text-zinc-600 dark:text-zinc-400" title={stamp(e.deliveredAt)}>
                {elapsed(e.issuedAt, e.deliveredAt) || "—"}
              </Td>
              <Td className="text-right tabular-nums text-zinc-600 dark:text-zinc-400" title={stamp(e.appliedAt)}>
                {elapsed(e.issuedAt, e.appliedAt) || "—"}
              </Td>
              <Td>
                {e.appliedSpanId ? (
                  <StepButton spanId={e.appliedSpanId} name={stepName(e.appliedSpanId)} onSelect={onSelectStep} />
                ) : (
                  <span className="text-zinc-400">—</span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

const stamp = (iso: string | null) => (iso ? formatTimestamp(iso) : undefined);
