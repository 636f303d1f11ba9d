/**
 * Findings in the order of the steps they point at (the run view's order, which is the
 * "step N" of their summaries); findings at a step the view does not have yet (spans
 * still arriving) go last, oldest first.
 */
export type OrderedDriftPoint<T> = { point: T; step: number | null };

/** A run's steps by span id: their number in the run view's order (from 1) and name. Built once per run, not per render. */
export type StepLookup = ReadonlyMap<string, { step: number; name?: string }>;

export function stepLookup(steps: readonly { spanId: string; name?: string }[] | undefined): StepLookup {
  return new Map(steps?.map((s, i) => [s.spanId, { step: i + 1, name: s.name }]));
}

export function orderDriftPoints<T extends { id: string; spanId: string; detector: string }>(
  points: readonly T[],
  steps: StepLookup,
): OrderedDriftPoint<T>[] {
  return points
    .map((point) => ({ point, step: steps.get(point.spanId)?.step ?? null }))
    .sort(
      (a, b) =>
        (a.step ?? Infinity) - (b.step ?? Infinity) ||
        Number(BigInt(a.point.id) - BigInt(b.point.id)) ||
        a.point.detector.localeCompare(b.point.detector),
    );
}

/** The steps an evidence's span ids point at, as step numbers (unknown ids are left out). */
export function evidenceSteps(spanIds: readonly string[] | undefined, steps: StepLookup) {
  if (!spanIds) return [];
  return spanIds.flatMap((spanId) => {
    const step = steps.get(spanId)?.step;
    return step === undefined ? [] : [{ spanId, step }];
  });
}
