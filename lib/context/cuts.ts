import type { ContextMessage, Cut } from "@/lib/api/step-schemas";

/**
 * The ingest cleaner records every cut value of a span by path (`causeway.truncated`):
 * `input_messages[3].content`, `output_messages[0].tool_calls[1].arguments`, `input`,
 * `attributes.big.value`… This splits out the message cuts, keyed by message position,
 * with paths relative to the message, so each message can show what was cut and how big it was.
 */
const MESSAGE_PATH = /^(input|output)_messages\[(\d+)\]\.(.+)$/;

export type MessageCuts = { input: Map<number, Cut[]>; output: Map<number, Cut[]> };

export function messageCuts(truncated: readonly Cut[]): MessageCuts {
  const out: MessageCuts = { input: new Map(), output: new Map() };
  for (const cut of truncated) {
    const m = MESSAGE_PATH.exec(cut.path);
    if (!m) continue;
    const side = out[m[1] as "input" | "output"];
    const index = Number(m[2]);
    const list = side.get(index) ?? [];
    list.push({ path: m[3]!, bytes: cut.bytes });
    side.set(index, list);
  }
  return out;
}

/**
 * Bytes of a message field as stored after a cut (`content`, `content[1].text`, `tool_calls[0].arguments`…),
 * to show "1.2 MB → 4.1 KB". Null when the path does not lead to a string.
 */
export function keptBytes(
  message: Pick<ContextMessage, "content" | "toolCalls" | "toolCallId" | "name">,
  path: string,
): number | null {
  let at: unknown = {
    content: message.content,
    tool_calls: message.toolCalls,
    tool_call_id: message.toolCallId,
    name: message.name,
  };
  for (const [, key, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (typeof at !== "object" || at === null) return null;
    at = index !== undefined ? (Array.isArray(at) ? at[Number(index)] : undefined) : (at as Record<string, unknown>)[key!];
  }
  return typeof at === "string" ? new TextEncoder().encode(at).length : null;
}
