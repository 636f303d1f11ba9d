import { diffArrays } from "diff";
import type { ContextDiff, ContextMessage, DiffEntry } from "@/lib/api/step-schemas";
import { messageText, SYSTEM_ROLES, systemPromptOf } from "@/lib/context/text";
import { isTruncation, wordDiff } from "@/lib/context/compare";

/**
 * How a model call's context differs from the previous call's. Contexts are stored as ordered lists
 * of content hashes, so the diff runs on the hash lists first (Myers, via jsdiff's diffArrays: fast
 * for hundreds of messages and near-linear when little changed); only the messages that differ are
 * then compared by content, to tell a rewrite or a truncation from an unrelated add/remove.
 *
 * Within a block where messages were replaced, a removed and an added message are paired when:
 * the block has as many of each and they sit at the same position with the same role (an edited
 * message), or — for uneven blocks such as a compaction (many removed, one summary added) — when
 * they answer the same tool call, are both the system prompt, or one is a cut-down copy of the
 * other. Everything else is a plain removal or addition.
 */
export type DiffTokens = { before: number | null; after: number | null };

/** Above this many candidate pairs in one block, only the cheap tests (same tool call, system prompt) are tried. */
const MAX_PAIR_TESTS = 10_000;

export function diffContext(
  prev: readonly ContextMessage[] | null,
  next: readonly ContextMessage[],
  tokens: DiffTokens = { before: null, after: null },
): ContextDiff {
  const entries = prev === null ? next.map((_, index): DiffEntry => ({ change: "added", index })) : diffEntries(prev, next);
  const counts = { unchanged: 0, added: 0, removed: 0, rewritten: 0, truncated: 0 };
  const addedByRole: Record<string, number> = {};
  for (const e of entries) {
    counts[e.change]++;
    if (e.change === "added") {
      const role = next[e.index]!.role;
      addedByRole[role] = (addedByRole[role] ?? 0) + 1;
    }
  }
  const prevSystem = prev === null ? "" : systemPromptOf(prev);
  const nextSystem = systemPromptOf(next);
  const systemChanged = prev !== null && prevSystem !== nextSystem;
  const bytesBefore = sumBytes(prev ?? []);
  const bytesAfter = sumBytes(next);
  const before = prev === null ? null : tokens.before;
  return {
    hasPrevious: prev !== null,
    entries,
    counts,
    addedByRole,
    systemPrompt: { changed: systemChanged, words: systemChanged ? wordDiff(prevSystem, nextSystem) : null },
    messages: { before: prev?.length ?? 0, after: next.length, delta: next.length - (prev?.length ?? 0) },
    bytes: { before: bytesBefore, after: bytesAfter, delta: bytesAfter - bytesBefore },
    tokens: {
      before,
      after: tokens.after,
      delta: before !== null && tokens.after !== null ? tokens.after - before : null,
    },
  };
}

function diffEntries(prev: readonly ContextMessage[], next: readonly ContextMessage[]): DiffEntry[] {
  const entries: DiffEntry[] = [];
  let p = 0;
  let n = 0;
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    if (removed.length || added.length) entries.push(...replaceBlock(prev, next, removed, added));
    removed = [];
    added = [];
  };
  for (const change of diffArrays(
    prev.map((m) => m.hash),
    next.map((m) => m.hash),
  )) {
    const count = change.value.length;
    if (change.removed) for (let k = 0; k < count; k++) removed.push(p++);
    else if (change.added) for (let k = 0; k < count; k++) added.push(n++);
    else {
      flush();
      for (let k = 0; k < count; k++, p++) entries.push({ change: "unchanged", index: n++ });
    }
  }
  flush();
  return entries;
}

/** Entries for consecutive removed (indexes into prev) and added (indexes into next) messages. */
function replaceBlock(
  prev: readonly ContextMessage[],
  next: readonly ContextMessage[],
  removed: number[],
  added: number[],
): DiffEntry[] {
  const pairs = pairUp(
    removed.map((i) => prev[i]!),
    added.map((i) => next[i]!),
  );
  const out: DiffEntry[] = [];
  let r0 = 0;
  let a0 = 0;
  const emitUntil = (r: number, a: number) => {
    for (; r0 < r; r0++) out.push({ change: "removed", prevIndex: removed[r0]!, prev: prev[removed[r0]!]! });
    for (; a0 < a; a0++) out.push({ change: "added", index: added[a0]! });
  };
  for (const [r, a] of pairs) {
    emitUntil(r, a);
    const prevIndex = removed[r]!;
    const before = prev[prevIndex]!;
    const index = added[a]!;
    const after = next[index]!;
    out.push(
      isTruncation(before, after)
        ? { change: "truncated", index, prevIndex, prev: before }
        : { change: "rewritten", index, prevIndex, prev: before, words: wordDiff(messageText(before), messageText(after)) },
    );
    r0 = r + 1;
    a0 = a + 1;
  }
  emitUntil(removed.length, added.length);
  return out;
}

/** Monotone pairs [removedPos, addedPos] of messages that are one message changed in place. */
function pairUp(removed: ContextMessage[], added: ContextMessage[]): [number, number][] {
  const pairs: [number, number][] = [];
  if (removed.length === added.length) {
    for (let k = 0; k < removed.length; k++) if (removed[k]!.role === added[k]!.role) pairs.push([k, k]);
    return pairs;
  }
  const thorough = removed.length * added.length <= MAX_PAIR_TESTS;
  let from = 0;
  for (let r = 0; r < removed.length && from < added.length; r++) {
    const before = removed[r]!;
    for (let a = from; a < added.length; a++) {
      const after = added[a]!;
      if (before.role !== after.role) continue;
      const sameCall = before.toolCallId !== null && before.toolCallId === after.toolCallId;
      // A context has one system prompt: an edited one stays one message, whatever else changed around it.
      const sameSystem = SYSTEM_ROLES.has(before.role);
      if (sameCall || sameSystem || (thorough && isTruncation(before, after))) {
        pairs.push([r, a]);
        from = a + 1;
        break;
      }
    }
  }
  return pairs;
}

function sumBytes(messages: readonly ContextMessage[]): number {
  let total = 0;
  for (const m of messages) total += m.byteSize;
  return total;
}
