import type { Payload } from "@/lib/api/step-schemas";
import { CopyButton } from "@/components/step/copy-button";
import { JsonOrText } from "@/components/step/json-view";
import { TruncationMarker } from "@/components/step/truncation-marker";

/** A step's stored input or output (tool arguments/result, chain input/output). */
export function PayloadView({ label, payload }: { label: string; payload: Payload | null }) {
  if (!payload) return <p className="text-xs text-zinc-500">No {label.toLowerCase()} recorded.</p>;
  return (
    <section aria-label={label} className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {payload.fullBytes !== null && <TruncationMarker fullBytes={payload.fullBytes} keptBytes={payload.bytes} />}
        <span className="ml-auto">
          <CopyButton text={payload.text} label={`Copy ${label.toLowerCase()}`} />
        </span>
      </div>
      <JsonOrText text={payload.text} />
    </section>
  );
}
