import type { StepEvent } from "@/lib/api/step-schemas";
import { formatDuration } from "@/lib/format";
import { JsonView } from "@/components/step/json-view";

/** Span events in time order, offset from the step's start; exceptions in red. */
export function EventsList({ events, startNs }: { events: StepEvent[]; startNs: string }) {
  if (events.length === 0) return <p className="text-xs text-zinc-500">No events.</p>;
  const start = BigInt(startNs);
  return (
    <ol aria-label="Events" className="space-y-2">
      {events.map((e, i) => (
        <li
          key={i}
          className={`rounded-md border px-3 py-2 ${
            e.exception
              ? "border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40"
              : "border-zinc-200 dark:border-zinc-800"
          }`}
        >
          <div className="flex items-baseline gap-2 text-xs">
            <span className={`font-medium ${e.exception ? "text-red-700 dark:text-red-300" : ""}`}>{e.name || "(unnamed)"}</span>
            <span className="text-zinc-500 tabular-nums">+{formatDuration(offsetMs(BigInt(e.timeNs), start))}</span>
          </div>
          {Object.keys(e.attributes).length > 0 && (
            <div className="mt-1">
              <JsonView value={e.attributes} />
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function offsetMs(timeNs: bigint, startNs: bigint): number {
  return timeNs > startNs ? Number(timeNs - startNs) / 1e6 : 0;
}
