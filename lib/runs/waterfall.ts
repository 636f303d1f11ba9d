import type { RunDetail, StepSummary } from "@/lib/api/schemas";
import { waterfallOrder } from "@/lib/runs/tree";

/**
 * Rows of the run waterfall: order and depth, the bar's position within the run
 * (fractions, computed in bigint nanoseconds so long runs keep precision), and the
 * causal links each step takes part in, phrased for people.
 */
export type WaterfallRow = {
  step: StepSummary;
  depth: number;
  offset: number;
  width: number;
  durationMs: number | null;
  /** "chose get_weather", "result used by chat gpt-4o", "handed off to billing"… */
  links: { label: string; target: string; kind: "tool_call" | "tool_result" | "handoff"; direction: "out" | "in" }[];
};

export function buildWaterfall(detail: Pick<RunDetail, "steps" | "edges">): WaterfallRow[] {
  const steps = detail.steps;
  if (steps.length === 0) return [];
  let start = BigInt(steps[0]!.startNs);
  let end = start;
  for (const s of steps) {
    const a = BigInt(s.startNs);
    const b = s.endNs ? BigInt(s.endNs) : a;
    if (a < start) start = a;
    if (b > end) end = b;
  }
  const span = end > start ? end - start : 1n;
  const frac = (t: bigint) => Number(((t - start) * 1_000_000n) / span) / 1_000_000;
  const byId = new Map(steps.map((s) => [s.spanId, s]));
  const label = (id: string) => {
    const s = byId.get(id);
    return s ? (s.toolName ?? s.name) : id;
  };
  const links = new Map<string, WaterfallRow["links"]>();
  const add = (id: string, l: WaterfallRow["links"][number]) => links.set(id, [...(links.get(id) ?? []), l]);
  for (const e of detail.edges) {
    if (e.kind === "tool_call") {
      add(e.from, { label: `chose ${label(e.to)}`, target: e.to, kind: e.kind, direction: "out" });
      add(e.to, { label: `chosen by ${label(e.from)}`, target: e.from, kind: e.kind, direction: "in" });
    } else if (e.kind === "tool_result") {
      add(e.from, { label: `result read by ${label(e.to)}`, target: e.to, kind: e.kind, direction: "out" });
      add(e.to, { label: `read result of ${label(e.from)}`, target: e.from, kind: e.kind, direction: "in" });
    } else {
      add(e.from, { label: `handed off to ${e.via ?? label(e.to)}`, target: e.to, kind: e.kind, direction: "out" });
      add(e.to, { label: `handoff from ${label(e.from)}`, target: e.from, kind: e.kind, direction: "in" });
    }
  }
  return waterfallOrder(steps).map(({ step, depth }) => {
    const a = BigInt(step.startNs);
    const b = step.endNs ? BigInt(step.endNs) : null;
    return {
      step,
      depth,
      offset: frac(a),
      width: b === null ? 0 : Math.max(frac(b) - frac(a), 0),
      durationMs: b === null ? null : Number(b - a) / 1e6,
      links: links.get(step.spanId) ?? [],
    };
  });
}
