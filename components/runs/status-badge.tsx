import { Badge, type Tone } from "@/components/ui/badge";
import type { RunSummary } from "@/lib/api/schemas";

const TONE: Record<RunSummary["status"], Tone> = { live: "live", ok: "ok", error: "error", paused: "warn", killed: "killed" };

export function RunStatusBadge({ status }: { status: RunSummary["status"] }) {
  return (
    <Badge tone={TONE[status]}>
      {status === "live" && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden />}
      {status}
    </Badge>
  );
}
