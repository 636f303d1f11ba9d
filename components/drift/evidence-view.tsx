import type { DriftEvidence } from "@/lib/api/drift-schemas";
import { evidenceSteps, type StepLookup } from "@/components/drift/drift-order";

/**
 * What a detector judged, so a person can check it: the steps involved (buttons that
 * select them) and every other value it recorded. Values come from spans (tool
 * arguments, errors, hosts): untrusted, so they are only ever rendered as text.
 */
export function EvidenceView({
  evidence,
  steps,
  onSelect,
}: {
  evidence: DriftEvidence;
  steps: StepLookup;
  onSelect: (spanId: string) => void;
}) {
  const { rule, spanIds, ...values } = evidence;
  const involved = evidenceSteps(spanIds, steps);
  // `steps` repeats the step numbers of `spanIds` as the detector counted them: shown once, as buttons.
  const entries = Object.entries(values).filter(([key]) => !(key === "steps" && involved.length > 0));
  return (
    <div className="space-y-2 text-xs">
      {rule && (
        <p>
          <span className="text-zinc-500">rule </span>
          <code className="font-mono">{rule}</code>
        </p>
      )}
      {involved.length > 0 && (
        <div className="flex flex-wrap items-center gap-1">
          <span className="text-zinc-500">steps</span>
          {involved.map(({ spanId, step }) => (
            <button
              key={spanId}
              type="button"
              onClick={() => onSelect(spanId)}
              className="rounded px-1.5 py-0.5 font-mono tabular-nums text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-sky-950"
            >
              {step}
            </button>
          ))}
          {spanIds && spanIds.length > involved.length && (
            <span className="text-zinc-500">+{spanIds.length - involved.length} not loaded yet</span>
          )}
        </div>
      )}
      {entries.length > 0 && (
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1">
          {entries.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="font-mono text-zinc-500">{key}</dt>
              <dd className="min-w-0">
                <EvidenceValue value={value} />
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

const isPrimitive = (v: unknown) => v === null || typeof v !== "object";

function EvidenceValue({ value }: { value: unknown }) {
  if (isPrimitive(value))
    return <span className="font-mono break-words whitespace-pre-wrap">{typeof value === "string" ? value : String(value)}</span>;
  if (Array.isArray(value) && value.every(isPrimitive))
    return value.length === 0 ? (
      <span className="text-zinc-500">none</span>
    ) : (
      <span className="font-mono break-words">{value.map((v) => (typeof v === "string" ? v : String(v))).join(", ")}</span>
    );
  return (
    <pre className="max-h-48 overflow-auto rounded bg-zinc-50 p-2 font-mono text-[11px] leading-snug break-words whitespace-pre-wrap dark:bg-zinc-950">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
