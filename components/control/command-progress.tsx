import type { ControlEventView } from "@/lib/api/control-schemas";
import { formatTimestamp } from "@/lib/format";
import { commandStages, elapsed, type CommandStatus } from "@/components/control/control-view";
import { StepButton } from "@/components/control/step-button";

type Props = {
  event: ControlEventView;
  status: CommandStatus;
  /** The applied step's name when the run has it (its span may still be on its way). */
  stepName: string | undefined;
  onSelectStep(spanId: string): void;
};

/** Requested → delivered → applied for one command, each with the time it took, and the step where it took effect. */
export function CommandProgress({ event, status, stepName, onSelectStep }: Props) {
  const stages = commandStages(event);
  return (
    <ol
      aria-label="Command progress"
      data-status={status}
      className={`flex flex-wrap items-center gap-x-1.5 gap-y-1 text-xs ${status === "superseded" ? "opacity-60" : ""}`}
    >
      {stages.map((s, i) => (
        <li key={s.key} data-stage={s.key} data-done={s.at !== null} className="flex items-center gap-1.5">
          {i > 0 && (
            <span aria-hidden className="text-zinc-400">
              →
            </span>
          )}
          <span
            title={s.at ? formatTimestamp(s.at) : undefined}
            className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 ${
              s.at
                ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300"
                : "border-dashed border-zinc-300 text-zinc-500 dark:border-zinc-700"
            }`}
          >
            <span aria-hidden>{s.at ? "✓" : "○"}</span>
            {s.label}
            {s.at && (
              <span className="tabular-nums text-[11px] opacity-80">{i === 0 ? time(s.at) : elapsed(event.issuedAt, s.at)}</span>
            )}
            {!s.at && <span className="sr-only">(not yet)</span>}
          </span>
        </li>
      ))}
      {event.appliedSpanId && event.appliedAt && (
        <li className="flex items-center gap-1.5 text-zinc-600 dark:text-zinc-400">
          at step <StepButton spanId={event.appliedSpanId} name={stepName} onSelect={onSelectStep} />
        </li>
      )}
      {status === "superseded" && <li className="text-zinc-500">superseded by a later command</li>}
    </ol>
  );
}

/** The wall-clock time of day (UTC, as the run header shows times). */
const time = (iso: string) => formatTimestamp(iso).slice(11);
