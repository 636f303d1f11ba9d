import type { StepDetail } from "@/lib/api/step-schemas";
import { formatBytes } from "@/lib/context/summary";
import { CopyButton } from "@/components/step/copy-button";
import { JsonView } from "@/components/step/json-view";

type Props = Pick<StepDetail, "attributes" | "truncated" | "omitted" | "links"> & { scopeName: string | null; family: string };

/** The span's remaining attributes, what was cut or dropped at ingest, and its links. */
export function AttributesView({ attributes, truncated, omitted, links, scopeName, family }: Props) {
  const keys = Object.keys(attributes).sort();
  return (
    <div className="space-y-4 text-xs">
      <p className="text-zinc-500">
        Convention: <span className="font-mono">{family}</span>
        {scopeName && (
          <>
            {" "}
            · scope <span className="font-mono">{scopeName}</span>
          </>
        )}
      </p>
      {keys.length === 0 ? (
        <p className="text-zinc-500">No other attributes.</p>
      ) : (
        <section aria-label="Attributes" className="space-y-1">
          <div className="flex justify-end">
            <CopyButton text={JSON.stringify(attributes, null, 2)} label="Copy attributes" />
          </div>
          <dl className="grid grid-cols-[minmax(8rem,max-content)_minmax(0,1fr)] gap-x-4 gap-y-1">
            {keys.map((k) => (
              <div key={k} className="contents">
                <dt className="font-mono break-all text-zinc-500">{k}</dt>
                <dd className="min-w-0">
                  <JsonView value={attributes[k]} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      {truncated.length > 0 && (
        <section aria-label="Truncated values">
          <h3 className="mb-1 font-medium text-amber-800 dark:text-amber-300">Cut at ingest (value cap)</h3>
          <ul className="space-y-0.5 font-mono">
            {truncated.map((c, i) => (
              <li key={i}>
                {c.path} <span className="text-zinc-500">— {formatBytes(c.bytes)} originally</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {omitted.length > 0 && (
        <p className="text-zinc-500">
          Not stored (they repeat the parsed conversation): <span className="font-mono">{omitted.join(", ")}</span>
        </p>
      )}
      {links.length > 0 && (
        <section aria-label="Links">
          <h3 className="mb-1 font-medium">Links</h3>
          <ul className="space-y-1 font-mono">
            {links.map((l, i) => (
              <li key={i}>
                {l.traceId}/{l.spanId}
                {Object.keys(l.attributes).length > 0 && <JsonView value={l.attributes} />}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
