import { JsonView } from "@/components/step/json-view";

/** Model parameters as sent (temperature, max_tokens…). */
export function ModelParameters({ parameters }: { parameters: Record<string, unknown> }) {
  const keys = Object.keys(parameters).sort();
  if (keys.length === 0) return null;
  return (
    <section aria-label="Model parameters">
      <h3 className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Model parameters</h3>
      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-xs">
        {keys.map((k) => (
          <div key={k} className="flex items-baseline gap-1.5">
            <dt className="font-mono text-zinc-500">{k}</dt>
            <dd>
              <JsonView value={parameters[k]} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
