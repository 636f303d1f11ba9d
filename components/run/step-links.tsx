import type { WaterfallRow } from "@/lib/runs/waterfall";

/** The causal links a step takes part in ("chose get_weather", "result read by chat gpt-4o"), each one a jump. */
export function StepLinks({ links, onSelect }: { links: WaterfallRow["links"]; onSelect(spanId: string): void }) {
  if (links.length === 0) return null;
  return (
    <nav aria-label="Causal links" className="flex flex-wrap gap-1.5 text-xs">
      {links.map((l, i) => (
        <button
          key={i}
          type="button"
          onClick={() => onSelect(l.target)}
          data-edge-kind={l.kind}
          className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700 hover:bg-zinc-200 hover:text-zinc-900 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
        >
          {l.direction === "out" ? "→" : "←"} {l.label}
        </button>
      ))}
    </nav>
  );
}
