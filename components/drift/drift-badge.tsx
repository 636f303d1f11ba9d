import type { RunDetail } from "@/lib/api/schemas";

type Severity = RunDetail["driftPoints"][number]["severity"];

const SEVERITY_CLASS: Record<Severity, string> = {
  low: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
  medium: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800",
  high: "bg-orange-50 text-orange-800 ring-orange-300 dark:bg-orange-950 dark:text-orange-300 dark:ring-orange-800",
  critical: "bg-red-600 text-white ring-red-700 dark:bg-red-500 dark:text-white dark:ring-red-400",
};

const pill = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset";

/** A drift point's severity. */
export function DriftBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`${pill} ${SEVERITY_CLASS[severity]}`} data-severity={severity}>
      {severity}
    </span>
  );
}

/** For the run header: "3 drift", coloured by the most severe finding; nothing when the run has none. */
export function DriftCountBadge({ count, severity }: { count: number; severity: Severity | null }) {
  if (count === 0) return null;
  return (
    <span
      className={`${pill} ${SEVERITY_CLASS[severity ?? "medium"]}`}
      title={`${count} drift point${count === 1 ? "" : "s"}${severity ? `, the most severe ${severity}` : ""}`}
    >
      <svg viewBox="0 0 12 12" className="size-3" aria-hidden>
        <path d="M6 1 11 10H1Z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      {count} drift
    </span>
  );
}

/** The most severe of a run's drift points (RunSummary has only the count). */
export function maxDriftSeverity(points: readonly { severity: Severity }[]): Severity | null {
  const order: Severity[] = ["low", "medium", "high", "critical"];
  let best = -1;
  for (const p of points) best = Math.max(best, order.indexOf(p.severity));
  return best < 0 ? null : order[best]!;
}
