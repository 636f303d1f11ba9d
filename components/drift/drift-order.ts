/**
 * Findings in the order of the steps they point at (the run view's order, which is the
 * "step N" of their summaries); findings at a step the view does not have yet (spans
 * still arriving) go last, oldest first.
 */
export type OrderedDriftPoint<T> = { point: T; step: number | null };

export function orderDriftPoints<T extends { id: string; spanId: string; detector: string }>(
  points: readonly T[],
  steps: readonly { spanId: string }[] | undefined,
): OrderedDriftPoint<T>[] {
  const index = new Map(steps?.map((s, i) => [s.spanId, i + 1]));
  return points
    .map((point) => ({ point, step: index.get(point.spanId) ?? null }))
    .sort(
      (a, b) =>
        (a.step ?? Infinity) - (b.step ?? Infinity) ||
        Number(BigInt(a.point.id) - BigInt(b.point.id)) ||
        a.point.detector.localeCompare(b.point.detector),
    );
}

/** The steps an evidence's span ids point at, as step numbers (unknown ids are left out). */
export function evidenceSteps(spanIds: readonly string[] | undefined, steps: readonly { spanId: string }[] | undefined) {
  if (!spanIds || !steps) return [];
  const index = new Map(steps.map((s, i) => [s.spanId, i + 1]));
  return spanIds.flatMap((spanId) => {
    const step = index.get(spanId);
    return step === undefined ? [] : [{ spanId, step }];
  });
}
