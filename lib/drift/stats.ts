/** Summary statistics of a baseline sample (population σ: the baseline is all we know). */
export type Stats = { n: number; mean: number; std: number; p50: number; p95: number };

export function describe(values: readonly number[]): Stats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const variance = sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / sorted.length;
  return { n: sorted.length, mean, std: Math.sqrt(variance), p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
}

/** Linear interpolation between closest ranks, over sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0]!;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
