import type { ContextPoint } from "@/lib/api/step-schemas";

/**
 * What the "context size per step" chart plots: one value per model call, in call order, in
 * tokens when every call reported its input tokens, else in stored bytes (mixing the two would
 * draw a meaningless line). Calls are grouped by agent so interleaved agents get one line each.
 */
export type SizeUnit = "tokens" | "bytes";
export type SizePoint = { spanId: string; index: number; value: number; agent: string | null; messageCount: number };
export type SizeSeries = {
  unit: SizeUnit;
  points: SizePoint[];
  /** Points per agent, in call order; the key null collects calls outside any agent. */
  lines: { agent: string | null; points: SizePoint[] }[];
  max: number;
};

export function contextSizeSeries(points: readonly ContextPoint[]): SizeSeries {
  const unit: SizeUnit = points.length > 0 && points.every((p) => p.inputTokens !== null) ? "tokens" : "bytes";
  const out: SizePoint[] = points.map((p, index) => ({
    spanId: p.spanId,
    index,
    value: unit === "tokens" ? p.inputTokens! : p.bytes,
    agent: p.agentName,
    messageCount: p.messageCount,
  }));
  const byAgent = new Map<string | null, SizePoint[]>();
  for (const p of out) {
    const list = byAgent.get(p.agent);
    if (list) list.push(p);
    else byAgent.set(p.agent, [p]);
  }
  let max = 0;
  for (const p of out) if (p.value > max) max = p.value;
  return { unit, points: out, lines: [...byAgent].map(([agent, pts]) => ({ agent, points: pts })), max };
}

/** The point nearest to a fractional call index (pointer position on the chart). */
export function nearestPoint(series: SizeSeries, index: number): SizePoint | null {
  if (series.points.length === 0) return null;
  const i = Math.min(series.points.length - 1, Math.max(0, Math.round(index)));
  return series.points[i]!;
}

/**
 * A line's points thinned for a chart `columns` wide: past two points per column a path only
 * costs time (50k calls re-drawn on every selection), so each column keeps its lowest and its
 * highest point, in call order — peaks and dips stay visible. Ends are always kept.
 */
export function thinForColumns(points: readonly SizePoint[], columns: number, span: readonly [number, number]): SizePoint[] {
  if (points.length <= columns * 2) return [...points];
  const [first, last] = span;
  const width = Math.max(1, last - first) / columns;
  const out: SizePoint[] = [points[0]!];
  let lo: SizePoint | null = null;
  let hi: SizePoint | null = null;
  let column = -1;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (lo.index < hi.index) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const c = Math.min(columns - 1, Math.floor((p.index - first) / width));
    if (c !== column) {
      flush();
      column = c;
      lo = hi = p;
    } else {
      if (p.value < lo!.value) lo = p;
      if (p.value > hi!.value) hi = p;
    }
  }
  flush();
  out.push(points.at(-1)!);
  return out;
}
