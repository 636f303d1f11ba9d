import type { ContextDiff } from "@/lib/api/step-schemas";

/** Phrases for the context diff and sizes, shared by the UI and its tests. */

/** "812 B", "3.4 KB", "1.2 MB" (decimal units, as byte sizes are shown elsewhere in the UI). */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${bytes} B`;
  if (abs < 1_000_000) return `${(bytes / 1000).toFixed(abs < 10_000 ? 1 : 0)} KB`;
  if (abs < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(abs < 10_000_000 ? 1 : 0)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}

/** "truncated: 1.2 MB → 64 KB" */
export function truncationLabel(fullBytes: number, keptBytes: number): string {
  return `truncated: ${formatBytes(fullBytes)} → ${formatBytes(keptBytes)}`;
}

const ROLE_WORDS: Record<string, [string, string]> = {
  tool: ["tool result", "tool results"],
  user: ["user", "user"],
  assistant: ["assistant", "assistant"],
  system: ["system", "system"],
};

/** Tool results first: they are what usually drives the next decision. */
const ROLE_ORDER = ["tool", "user", "assistant", "system"];
const roleRank = (role: string) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);

const signed = (n: number, text: string) => `${n < 0 ? "−" : "+"}${text}`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One line for a diff: "+2 messages (1 tool result, 1 assistant), +3.4 KB, +812 tokens";
 * removals, rewrites, truncations and a changed system prompt are named when present.
 */
export function summarizeDiff(diff: ContextDiff): string {
  if (!diff.hasPrevious)
    return `first model call: ${plural(diff.messages.after, "message", "messages")}, ${formatBytes(diff.bytes.after)}${
      diff.tokens.after !== null ? `, ${diff.tokens.after.toLocaleString("en-US")} tokens` : ""
    }`;
  const { added, removed, rewritten, truncated } = diff.counts;
  const parts: string[] = [];
  if (added) {
    const roles = Object.entries(diff.addedByRole)
      .sort((a, b) => roleRank(a[0]) - roleRank(b[0]) || a[0].localeCompare(b[0]))
      .map(([role, n]) => {
        const [one, many] = ROLE_WORDS[role] ?? [role, role];
        return plural(n, one, many);
      });
    parts.push(`+${plural(added, "message", "messages")} (${roles.join(", ")})`);
  }
  if (removed) parts.push(`−${plural(removed, "message", "messages")}`);
  if (rewritten) parts.push(`${rewritten} rewritten`);
  if (truncated) parts.push(`${truncated} truncated`);
  if (diff.systemPrompt.changed) parts.push("system prompt changed");
  if (parts.length === 0) parts.push("no change");
  if (diff.bytes.delta !== 0) parts.push(signed(diff.bytes.delta, formatBytes(Math.abs(diff.bytes.delta))));
  if (diff.tokens.delta !== null && diff.tokens.delta !== 0)
    parts.push(signed(diff.tokens.delta, `${Math.abs(diff.tokens.delta).toLocaleString("en-US")} tokens`));
  return parts.join(", ");
}
