import type { ContextDiff, ContextMessage, WordChange } from "@/lib/api/step-schemas";

/**
 * The rows the context view draws: messages in display order with their change, and — in "only
 * changes" mode — runs of unchanged messages folded into one gap row. Without a previous call
 * there is nothing to mark, so messages carry no change.
 */
export type MessageChange = "unchanged" | "added" | "removed" | "rewritten" | "truncated";

export type ContextRow =
  | {
      type: "message";
      key: string;
      message: ContextMessage;
      /** Position in this call's context; null for a message only the previous call had. */
      index: number | null;
      prevIndex: number | null;
      change?: MessageChange;
      words?: WordChange[] | null;
      prev?: ContextMessage;
      /** "message 4 tool", "previous message 2 user". */
      label: string;
    }
  | { type: "gap"; key: string; count: number };

export function contextRows(messages: readonly ContextMessage[], diff: ContextDiff | null, onlyChanges: boolean): ContextRow[] {
  const label = (i: number) => `message ${i + 1} ${messages[i]!.role}`;
  if (!diff?.hasPrevious)
    return messages.map((message, index) => ({
      type: "message",
      key: `m${index}`,
      message,
      index,
      prevIndex: null,
      label: label(index),
    }));
  const rows: ContextRow[] = [];
  let gap = 0;
  const closeGap = (at: number) => {
    if (gap) rows.push({ type: "gap", key: `gap${at}`, count: gap });
    gap = 0;
  };
  diff.entries.forEach((e, at) => {
    if (e.change === "unchanged" && onlyChanges) {
      gap++;
      return;
    }
    closeGap(at);
    if (e.change === "removed")
      rows.push({
        type: "message",
        key: `p${e.prevIndex}`,
        message: e.prev,
        index: null,
        prevIndex: e.prevIndex,
        change: "removed",
        label: `previous message ${e.prevIndex + 1} ${e.prev.role}`,
      });
    else
      rows.push({
        type: "message",
        key: `m${e.index}`,
        message: messages[e.index]!,
        index: e.index,
        prevIndex: "prevIndex" in e ? e.prevIndex : null,
        change: e.change,
        words: e.change === "rewritten" ? e.words : undefined,
        prev: "prev" in e ? e.prev : undefined,
        label: label(e.index),
      });
  });
  closeGap(diff.entries.length);
  return rows;
}

/**
 * Tool calls and their results within one context, by call id: which message answers a call,
 * and which decision asked for a result — so the view can link them both ways.
 */
export function toolCallLinks(messages: readonly ContextMessage[]): {
  resultAt: Map<string, number>;
  callAt: Map<string, { index: number; name: string }>;
} {
  const resultAt = new Map<string, number>();
  const callAt = new Map<string, { index: number; name: string }>();
  messages.forEach((m, index) => {
    if (m.toolCallId !== null && !resultAt.has(m.toolCallId)) resultAt.set(m.toolCallId, index);
    for (const c of m.toolCalls) if (c.id !== null && !callAt.has(c.id)) callAt.set(c.id, { index, name: c.name });
  });
  return { resultAt, callAt };
}
