import type { ReactNode } from "react";
import type { PolicyView } from "@/lib/api/policy-schemas";
import { formatSequence } from "@/lib/policy/form";
import { formatTimestamp } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { DriftBadge } from "@/components/drift/drift-badge";
import { ACTION_LABEL, actionDetectorLabel } from "@/components/policy/labels";

const ACTION_TONE = { record: "neutral", pause: "warn", kill: "error" } as const;

/** One policy, read-only: its rules first (what it does), then what the agent may do. */
export function PolicySummary({ view }: { view: PolicyView }) {
  const p = view.policy;
  const budgets = Object.entries(p.budgets ?? {}).filter(([, v]) => v !== undefined);
  return (
    <div className="space-y-4 p-4 text-sm">
      <section aria-label="Actions">
        <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          When a detector fires on a live run
        </h3>
        {p.actions.length === 0 ? (
          <p className="text-xs text-zinc-500">Record only: no rules.</p>
        ) : (
          <ul className="space-y-1">
            {p.actions.map((a, i) => (
              <li key={i} className="flex flex-wrap items-center gap-1.5 text-xs">
                <span className="font-medium">{actionDetectorLabel(a.detector)}</span>
                <span className="text-zinc-500">at or above</span>
                <DriftBadge severity={a.minSeverity} />
                <span className="text-zinc-500">→</span>
                <Badge tone={ACTION_TONE[a.action]}>{ACTION_LABEL[a.action]}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
      <dl className="grid gap-x-6 gap-y-3 text-xs sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Allowed tools">{names(p.allowTools, "any")}</Fact>
        <Fact label="Denied tools">{names(p.denyTools, "none")}</Fact>
        <Fact label="Allowed hosts">{names(p.allowHosts, "any")}</Fact>
        <Fact label="Forbidden sequences">
          {p.forbiddenSequences?.length ? (
            <ul className="space-y-0.5 font-mono">
              {p.forbiddenSequences.map((s, i) => (
                <li key={i}>{formatSequence(s)}</li>
              ))}
            </ul>
          ) : (
            <span className="text-zinc-500">none</span>
          )}
        </Fact>
        <Fact label="Budgets per run">
          {budgets.length ? (
            <span className="font-mono">{budgets.map(([k, v]) => `${k} ${v!.toLocaleString("en-US")}`).join(" · ")}</span>
          ) : (
            <span className="text-zinc-500">none</span>
          )}
        </Fact>
        <Fact label="Severity of violations">
          <DriftBadge severity={p.severity} />
        </Fact>
      </dl>
      <p className="text-xs text-zinc-500">
        {view.source === "file" ? "Loaded from " : "Saved by "}
        {view.updatedBy || "unknown"} · {formatTimestamp(view.updatedAt)}
      </p>
    </div>
  );
}

function names(list: string[] | undefined, none: string): ReactNode {
  if (!list?.length) return <span className="text-zinc-500">{none}</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {list.map((n) => (
        <code key={n} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800">
          {n}
        </code>
      ))}
    </span>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="mb-1 text-[11px] tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
