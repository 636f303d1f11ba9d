import type { StepEvent } from "@/lib/api/step-schemas";
import { TextBlock } from "@/components/step/text-block";

/**
 * A failed step's status message and its exceptions (type, message, stack), in red above
 * everything else: the first thing someone debugging a run looks for.
 */
export function StepErrors({
  statusMessage,
  failed,
  events,
}: {
  statusMessage: string | null;
  failed: boolean;
  events: StepEvent[];
}) {
  const exceptions = events.flatMap((e) => (e.exception ? [e.exception] : []));
  if (!failed && exceptions.length === 0) return null;
  return (
    <section
      aria-label="Errors"
      className="space-y-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
    >
      {failed && (
        <p className="text-sm font-medium">
          Step failed{statusMessage ? ": " : ""}
          {statusMessage}
        </p>
      )}
      {exceptions.map((x, i) => (
        <div key={i} role="group" aria-label={`exception ${i + 1}`} className="space-y-1">
          <p className="font-mono text-xs font-semibold">
            {x.type ?? "exception"}
            {x.message ? `: ${x.message}` : ""}
          </p>
          {x.stacktrace && <TextBlock text={x.stacktrace} limit={2000} className="opacity-90" />}
        </div>
      ))}
    </section>
  );
}
