import type { ChatMessage } from "@/lib/conventions/types";
import type { MessageRow } from "@/collector/normalize/batch";
import type { StoredMessage } from "@/collector/normalize/facts";

/**
 * Stored messages remembered by their content, so a message seen again is not cleaned, serialized and hashed
 * again. Agents resend their context on every model call: the system prompt each time, and in most frameworks
 * the whole conversation so far, so without this the collector's work grows with the square of a conversation's
 * length (a 50-call run cleans and hashes its first message 50 times).
 *
 * Only messages stored without a cut are remembered (a cut is recorded per step, with the step's path), and only
 * text content (structured parts would need serializing to make a key, which is most of what this saves).
 * The memory is bounded: two generations of at most `budgetChars` characters of keys each; a generation that
 * fills up becomes the old one and the older is dropped, so entries used in the last generation survive.
 * A memo belongs to one redaction configuration and value cap (one pipeline): the stored form depends on both.
 */
export type MemoEntry = { stored: StoredMessage & { hash: string; bytes: number }; row: MessageRow };

export class MessageMemo {
  private current = new Map<string, MemoEntry>();
  private previous = new Map<string, MemoEntry>();
  private chars = 0;

  constructor(private readonly budgetChars: number) {}

  get(key: string): MemoEntry | undefined {
    const hit = this.current.get(key);
    if (hit !== undefined) return hit;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, entry: MemoEntry): void {
    if (key.length > this.budgetChars) return;
    if (this.chars + key.length > this.budgetChars) {
      this.previous = this.current;
      this.current = new Map();
      this.chars = 0;
    }
    this.current.set(key, entry);
    this.chars += key.length;
  }

  /** Entries held (both generations; an entry in both counts twice). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/**
 * A key that tells apart every two messages storeMessage would store differently: each variable-length field is
 * prefixed by its length, in a fixed order behind a fixed marker. Undefined for structured content (not memoized).
 */
export function messageMemoKey(m: ChatMessage): string | undefined {
  let key: string;
  if (m.content === null) key = "n";
  else if (typeof m.content === "string") key = `s${m.content.length}:${m.content}`;
  else return undefined;
  key += `r${m.role.length}:${m.role}`;
  if (m.toolCalls?.length)
    for (const c of m.toolCalls)
      key +=
        (c.id === null ? "c-" : `c${c.id.length}:${c.id}`) + `${c.name.length}:${c.name}${c.arguments.length}:${c.arguments}`;
  if (m.toolCallId) key += `i${m.toolCallId.length}:${m.toolCallId}`;
  if (m.name) key += `m${m.name.length}:${m.name}`;
  return key;
}
