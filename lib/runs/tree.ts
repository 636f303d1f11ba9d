/**
 * Orders a run's steps for a waterfall: depth-first by parent, siblings by start
 * time, with each step's depth. Iterative (an explicit stack), so a run of tens of
 * thousands of nested steps cannot overflow the call stack. Steps whose parent is
 * missing (not arrived yet, or outside the trace) are shown as roots.
 */
export type TreeInput = { spanId: string; parentSpanId: string | null; startNs: string };

export function waterfallOrder<T extends TreeInput>(steps: T[]): { step: T; depth: number }[] {
  const byId = new Map(steps.map((s) => [s.spanId, s]));
  const children = new Map<string | null, T[]>();
  for (const s of steps) {
    const parent = s.parentSpanId && byId.has(s.parentSpanId) ? s.parentSpanId : null;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  // Parse each start once: a comparator parsing BigInts took seconds on 100k steps.
  const start = new Map(steps.map((s) => [s.spanId, BigInt(s.startNs)]));
  const byStart = (a: T, b: T) => {
    const x = start.get(a.spanId)!;
    const y = start.get(b.spanId)!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  for (const list of children.values()) list.sort(byStart);

  const out: { step: T; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (roots: T[]) => {
    const stack = roots.map((step) => ({ step, depth: 0 })).reverse();
    while (stack.length) {
      const item = stack.pop()!;
      if (seen.has(item.step.spanId)) continue;
      seen.add(item.step.spanId);
      out.push(item);
      const kids = children.get(item.step.spanId) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ step: kids[i]!, depth: item.depth + 1 });
    }
  };
  walk(children.get(null) ?? []);
  // Steps caught in a parent cycle (hostile or broken data) are unreachable from a root: show them anyway.
  if (out.length < steps.length) walk(steps.filter((s) => !seen.has(s.spanId)).sort(byStart));
  return out;
}
