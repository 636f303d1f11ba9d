import { formatDuration } from "@/lib/format";
import type { Item } from "@/lib/graph/graph-items";

/**
 * Words on and for the graph's nodes: the short label drawn in the box, a detail
 * line, and the accessible name ("decision gpt-4o, chose get_weather") that screen
 * readers announce and Playwright selects by.
 */
export function plainLabel(item: Item): { label: string; detail: string | null; aria: string } {
  const s = item.step;
  const took = Number.isNaN(item.t1) ? null : formatDuration((item.t1 - item.t0) / 1e6);
  switch (item.kind) {
    case "decision": {
      const label = s.model ?? s.name;
      const calls = item.calls.length ? summarizeCalls(item.calls) : null;
      return {
        label,
        detail: calls ? `→ ${calls}` : took,
        aria: `decision ${label}${calls ? `, chose ${calls}` : ""}`,
      };
    }
    case "tool": {
      const label = s.toolName ?? s.name;
      return { label, detail: took, aria: `tool ${label}` };
    }
    case "agent": {
      const label = s.agentName ?? s.name;
      return { label, detail: "agent", aria: `agent ${label}` };
    }
    case "handoff":
      return {
        label: `→ ${s.handoffTo}`,
        detail: s.agentName ? `handoff from ${s.agentName}` : "handoff",
        aria: `handoff to ${s.handoffTo}`,
      };
    default:
      return { label: s.name, detail: item.kind === "step" ? s.kind : item.kind, aria: `${item.kind} ${s.name}` };
  }
}

/** "get_weather, search ×3" — names in first-chosen order, repeats counted. */
export function summarizeCalls(calls: string[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(", ");
}

export function stepsWord(n: number): string {
  return `${n.toLocaleString("en-US")} step${n === 1 ? "" : "s"}`;
}

/** Error and drift suffixes of an accessible name. */
export function statusSuffix(error: boolean, drift: number): string {
  return `${error ? ", failed" : ""}${drift ? `, ${drift} drift point${drift === 1 ? "" : "s"}` : ""}`;
}
