import type { StepDetail } from "@/lib/api/step-schemas";
import { formatCount, formatDuration } from "@/lib/format";
import { KindBadge } from "@/components/run/kind-badge";
import { Badge } from "@/components/ui/badge";

/** Kind, name, status, duration, model or tool, tokens and agent of one step. */
export function StepHeader({ detail }: { detail: StepDetail }) {
  const s = detail.step;
  const durationMs = s.endNs === null ? null : Number(BigInt(s.endNs) - BigInt(s.startNs)) / 1e6;
  const facts: [string, string][] = [["Duration", s.endNs === null ? "running" : formatDuration(durationMs)]];
  if (s.model) facts.push(["Model", s.provider ? `${s.model} (${s.provider})` : s.model]);
  if (s.toolName) facts.push(["Tool", s.toolCallId ? `${s.toolName} · ${s.toolCallId}` : s.toolName]);
  if (s.inputTokens !== null || s.outputTokens !== null)
    facts.push(["Tokens", `${formatCount(s.inputTokens ?? 0)} in · ${formatCount(s.outputTokens ?? 0)} out`]);
  if (detail.finishReason) facts.push(["Finish", detail.finishReason]);
  if (detail.agent) facts.push(["Agent", detail.agent]);
  if (s.handoffTo) facts.push(["Hands off to", s.handoffTo]);
  return (
    <header className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <KindBadge kind={s.kind} />
        <h2 className="min-w-0 truncate text-base font-semibold" title={s.name}>
          {s.name}
        </h2>
        {s.status !== "unset" && <Badge tone={s.status === "error" ? "error" : "ok"}>{s.status}</Badge>}
      </div>
      <p className="font-mono text-[11px] text-zinc-500">{s.spanId}</p>
      <dl className="flex flex-wrap gap-x-6 gap-y-1">
        {facts.map(([k, v]) => (
          <div key={k}>
            <dt className="text-[11px] tracking-wide text-zinc-500 uppercase">{k}</dt>
            <dd className="text-sm tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
