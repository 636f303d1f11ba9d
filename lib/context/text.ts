import type { ContextMessage } from "@/lib/api/step-schemas";

/**
 * Readable text of stored messages, for diffs and previews. Content parts that are text
 * are joined; any other part (images, reasoning, files…) is shown as compact JSON so a
 * change to it still shows in a diff.
 */
export function contentText(content: ContextMessage["content"]): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content.map(partText).join("\n");
}

function partText(part: unknown): string {
  if (typeof part === "string") return part;
  if (typeof part === "object" && part !== null && !Array.isArray(part)) {
    const p = part as Record<string, unknown>;
    const text = p.text ?? p.content;
    if ((p.type === undefined || p.type === "text") && typeof text === "string") return text;
  }
  return JSON.stringify(part) ?? "";
}

/** Content plus the tool calls the message made, one per line: what a person compares between two calls. */
export function messageText(m: Pick<ContextMessage, "content" | "toolCalls">): string {
  const calls = m.toolCalls.map((c) => `→ ${c.name}(${c.arguments})`);
  const text = contentText(m.content);
  return calls.length ? [text, ...calls].filter(Boolean).join("\n") : text;
}

/** Roles that carry the system prompt (OpenAI's newer models call it "developer"). */
export const SYSTEM_ROLES: ReadonlySet<string> = new Set(["system", "developer"]);

/** The whole system prompt of a context: every system/developer message, in order. */
export function systemPromptOf(messages: readonly ContextMessage[]): string {
  return messages
    .filter((m) => SYSTEM_ROLES.has(m.role))
    .map((m) => messageText(m))
    .join("\n\n");
}
