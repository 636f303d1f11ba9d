/** A step named in the control views: selects it in the run (graph, timeline, detail) when the run has it. */
export function StepButton({
  spanId,
  name,
  onSelect,
}: {
  spanId: string;
  name: string | undefined;
  onSelect(spanId: string): void;
}) {
  if (name === undefined)
    return (
      <span className="font-mono text-zinc-500" title="This step's span has not reached Causeway yet (it is sent when it ends).">
        {spanId.slice(0, 8)}…
      </span>
    );
  return (
    <button
      type="button"
      data-span-id={spanId}
      onClick={() => onSelect(spanId)}
      className="max-w-64 truncate rounded font-medium text-sky-700 underline decoration-sky-300 underline-offset-2 hover:text-sky-600 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400 dark:decoration-sky-700"
    >
      {name}
    </button>
  );
}
