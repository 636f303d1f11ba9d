import { IndexHeap } from "@/lib/graph/heap";

/**
 * The order of a run's steps: the run view's list, so its "step N" (drift panel, drift
 * summaries from collector/drift/load.ts) and the tie-break of every later stable sort
 * by start time (waterfall siblings, replay, causal edges).
 *
 * By start time. Spans started in the same clock tick are common (a parent agent span and
 * its first child; SDKs with millisecond clocks), and span ids are random, so ties go:
 *   1. ancestors before descendants: a parent never after its child;
 *   2. then the longer span (later end; a span not ended yet counts as longest) first;
 *   3. then span id.
 * Rule 1 is a constraint, not a sort key: among tied steps with no tied ancestor left to
 * place, the one first by 2–3 goes next (Kahn's algorithm with a priority queue).
 *
 * O(n log n) for runs of 100k steps: ancestry comes from one depth-first numbering of the
 * span tree (a span's descendants are numbered inside its interval), never from walking
 * each step's parents. Parents outside the run count as absent; a parent cycle (broken
 * data) is cut where the walk enters it.
 */
export type OrderableStep = { spanId: string; parentSpanId: string | null; startNs: bigint; endNs: bigint | null };

/** Positions of `steps` in run order (a permutation of 0…n-1). */
export function stepOrder(steps: readonly OrderableStep[]): number[] {
  const order = steps.map((_, i) => i);
  // Callers load steps by start already (the index's order): then only tied groups are sorted.
  if (!sortedByStart(steps)) order.sort((a, b) => compareStart(steps[a]!, steps[b]!));
  let tree: SpanTree | null = null;
  for (let lo = 0, hi = 1; lo < order.length; lo = hi, hi = lo + 1) {
    const start = steps[order[lo]!]!.startNs;
    while (hi < order.length && steps[order[hi]!]!.startNs === start) hi++;
    if (hi - lo < 2) continue;
    const group = order.slice(lo, hi).sort((a, b) => compareSteps(steps[a]!, steps[b]!));
    for (let k = 0; k < group.length; k++) order[lo + k] = group[k]!;
    tree ??= numberTree(steps);
    placeAncestorsFirst(order, lo, hi, tree);
  }
  return order;
}

/** `steps` in run order. */
export function sortSteps<T extends OrderableStep>(steps: readonly T[]): T[] {
  return stepOrder(steps).map((i) => steps[i]!);
}

function sortedByStart(steps: readonly OrderableStep[]): boolean {
  for (let i = 1; i < steps.length; i++) if (steps[i]!.startNs < steps[i - 1]!.startNs) return false;
  return true;
}

const compareStart = (a: OrderableStep, b: OrderableStep) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);

/** Rules 2–3 and the start: the order before ancestry is applied. */
function compareSteps(a: OrderableStep, b: OrderableStep): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  if (a.endNs !== b.endNs) {
    if (a.endNs === null) return -1;
    if (b.endNs === null) return 1;
    return a.endNs > b.endNs ? -1 : 1;
  }
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
}

/** Depth-first numbering: `b` descends from `a` exactly when enter[a] < enter[b] <= last[a]. */
type SpanTree = { enter: Int32Array; last: Int32Array };

function numberTree(steps: readonly OrderableStep[]): SpanTree {
  const n = steps.length;
  const byId = new Map<string, number>();
  steps.forEach((s, i) => byId.set(s.spanId, i));
  const firstChild = new Int32Array(n).fill(-1);
  const nextSibling = new Int32Array(n).fill(-1);
  const hasParent = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const p = steps[i]!.parentSpanId === null ? undefined : byId.get(steps[i]!.parentSpanId!);
    if (p === undefined || p === i) continue;
    hasParent[i] = 1;
    nextSibling[i] = firstChild[p]!;
    firstChild[p] = i;
  }
  const enter = new Int32Array(n).fill(-1);
  const last = new Int32Array(n);
  const cursor = new Int32Array(n); // the next child to visit, per span on the stack
  const stack: number[] = [];
  let counter = 0;
  const walk = (root: number) => {
    enter[root] = counter++;
    cursor[root] = firstChild[root]!;
    stack.push(root);
    while (stack.length > 0) {
      const top = stack.at(-1)!;
      let child = cursor[top]!;
      while (child !== -1 && enter[child] !== -1) child = nextSibling[child]!; // reached before: a cycle
      if (child === -1) {
        last[top] = counter - 1;
        stack.pop();
        continue;
      }
      cursor[top] = nextSibling[child]!;
      enter[child] = counter++;
      cursor[child] = firstChild[child]!;
      stack.push(child);
    }
  };
  for (let i = 0; i < n; i++) if (!hasParent[i]) walk(i);
  for (let i = 0; i < n; i++) if (enter[i] === -1) walk(i); // spans in a parent cycle
  return { enter, last };
}

/**
 * Reorders order[lo..hi) (steps with one start, sorted by rules 2–3) so that no step comes
 * before one of its ancestors, keeping rules 2–3 wherever ancestry leaves a choice.
 */
function placeAncestorsFirst(order: number[], lo: number, hi: number, { enter, last }: SpanTree): void {
  const group = order.slice(lo, hi); // position in `group` = priority by rules 2–3
  const byEnter = group.map((_, k) => k).sort((a, b) => enter[group[a]!]! - enter[group[b]!]!);
  // Nearest ancestor within the group: sweep in depth-first order, keeping the chain of open intervals.
  const children = new Map<number, number[]>();
  const blocked = new Uint8Array(group.length);
  const open: number[] = [];
  for (const k of byEnter) {
    const e = enter[group[k]!]!;
    while (open.length > 0 && last[group[open.at(-1)!]!]! < e) open.pop();
    const ancestor = open.at(-1);
    if (ancestor !== undefined) {
      blocked[k] = 1;
      const list = children.get(ancestor);
      if (list) list.push(k);
      else children.set(ancestor, [k]);
    }
    open.push(k);
  }
  if (children.size === 0) return; // no ancestry among the tied steps: rules 2–3 stand
  const ready = new IndexHeap((a, b) => a < b);
  for (let k = 0; k < group.length; k++) if (!blocked[k]) ready.push(k);
  for (let at = lo; ready.size > 0; at++) {
    const k = ready.pop()!;
    order[at] = group[k]!;
    for (const child of children.get(k) ?? []) ready.push(child);
  }
}
