import { createHash } from "node:crypto";
import type { ContextMessage } from "@/lib/api/step-schemas";

/**
 * Builders for stored messages in unit tests: hashed and sized the way the collector's normalize
 * stage stores them (canonical JSON `{role, content, tool_calls?, tool_call_id?, name?}`).
 */
type Extra = Partial<Pick<ContextMessage, "toolCalls" | "toolCallId" | "name" | "truncated" | "cuts">>;

export function msg(role: string, content: ContextMessage["content"], extra: Extra = {}): ContextMessage {
  const body: Record<string, unknown> = { role, content };
  if (extra.toolCalls?.length) body.tool_calls = extra.toolCalls;
  if (extra.toolCallId) body.tool_call_id = extra.toolCallId;
  if (extra.name) body.name = extra.name;
  const canonical = JSON.stringify(body);
  return {
    hash: createHash("sha256").update(canonical).digest("hex"),
    role,
    content,
    toolCalls: extra.toolCalls ?? [],
    toolCallId: extra.toolCallId ?? null,
    name: extra.name ?? null,
    byteSize: Buffer.byteLength(canonical),
    truncated: extra.truncated ?? false,
    cuts: extra.cuts ?? [],
  };
}

export const system = (text: string) => msg("system", text);
export const user = (text: string) => msg("user", text);
export const answer = (text: string) => msg("assistant", text);
export const decision = (id: string, name: string, args: object) =>
  msg("assistant", null, { toolCalls: [{ id, name, arguments: JSON.stringify(args) }] });
export const toolResult = (id: string, result: unknown, extra: Extra = {}) =>
  msg("tool", typeof result === "string" ? result : JSON.stringify(result), { toolCallId: id, ...extra });

/**
 * A support agent's conversation after `turns` user turns: each turn is a question, a tool
 * decision, its result and an answer — four messages per turn after the system prompt.
 */
export function conversation(turns: number, systemPrompt = "You are a support agent for Acme. Be concise."): ContextMessage[] {
  const out = [system(systemPrompt)];
  for (let t = 0; t < turns; t++) {
    out.push(user(`Turn ${t}: where is order #${1000 + t}?`));
    out.push(decision(`call_${t}`, "lookup_order", { order: 1000 + t }));
    out.push(toolResult(`call_${t}`, { order: 1000 + t, status: t % 3 === 0 ? "shipped" : "processing", eta_days: t % 5 }));
    out.push(answer(`Order #${1000 + t} is ${t % 3 === 0 ? "shipped" : "processing"}.`));
  }
  return out;
}
