import type { Attributes, AttrValue } from "@/lib/otlp/types";
import type { ChatMessage, ToolCall } from "@/lib/conventions/types";
import { jsonReplacer, normalizeFinishReason, parseJsonText } from "@/lib/conventions/values";

/**
 * Shared, convention-neutral parsing of chat messages, content parts and tool calls.
 *
 * Conventions carry the same conversation in a handful of shapes; these helpers accept all
 * of them and produce the canonical `ChatMessage` of `types.ts`:
 * - OTel GenAI parts: `{role, parts: [{type: "text", content} | {type: "tool_call", id, name, arguments}
 *   | {type: "tool_call_response", id, response} | {type: "reasoning" | "blob" | "uri" | …}], name?, finish_reason?}`
 * - provider-native messages: OpenAI `{role, content, tool_calls: [{id, type: "function", function: {name, arguments}}],
 *   tool_call_id, name}`, Anthropic/Bedrock blocks (`text`, `tool_use`, `tool_result`), Vercel AI SDK parts
 *   (`tool-call` / `tool-result` with `toolCallId`, `toolName`, `input`/`args`, `output`), OpenAI Responses items
 *   (`function_call` with `call_id`, `function_call_output`).
 * - indexed attributes (OpenLLMetry legacy and old OTel): `gen_ai.prompt.N.role/content/tool_call_id`,
 *   `gen_ai.completion.N.tool_calls.M.id/name/arguments`… (`readIndexedMessages`).
 *
 * Canonical choices (the store and graph rely on them):
 * - Content is a string when every content part is text (joined with "\n"), the raw parts array when any part is
 *   not text (images, reasoning, refusals…), and null when there is no content (e.g. only tool calls).
 * - Tool calls (`tool_call`, `tool_use`, `tool-call`, `function_call`, OpenAI `tool_calls`) become `toolCalls`;
 *   arguments are always text: strings as sent, structured arguments as compact JSON. Missing ids are null.
 *   Provider-executed `server_tool_call` parts stay content parts: no tool span will ever answer them.
 * - Every tool result part (`tool_call_response`, `tool_result`, `tool-result`, `function_call_output`) becomes its own
 *   message `{role: "tool", toolCallId, content: text}`, in place, even when the convention put it inside a `user`
 *   message (Anthropic) or grouped several results in one message (AI SDK). The graph finds tool results by
 *   `toolCallId` on messages and never has to look inside parts.
 * - Roles are lower-cased as sent ("model", "developer"… are kept).
 *
 * Nothing here throws: unparseable values give `undefined` (or are kept as text) so the caller can leave the
 * attribute unconsumed.
 */

type Obj = { [key: string]: AttrValue };

/** A plain object (not an array, not bytes, not null). */
export function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export { parseJsonText } from "@/lib/conventions/values";

/** Like `parseJsonText`, but also unquotes a JSON string literal (`"\"sunny\""` -> `sunny`). */
export function parseJsonValue(v: AttrValue | undefined): AttrValue | undefined {
  if (typeof v === "string" && v.trim().startsWith('"')) {
    try {
      return JSON.parse(v.trim()) as AttrValue;
    } catch {
      return v;
    }
  }
  return parseJsonText(v);
}

/** Text as sent: strings unchanged, null/undefined as "", anything else as compact JSON (bigint as string, bytes as base64). */
export function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === undefined || v === null) return "";
  try {
    return JSON.stringify(v, jsonReplacer) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * A canonical form of JSON text for comparisons (tool arguments in a model's decision vs. in the tool span):
 * parsed and re-serialised with sorted keys and no whitespace. Text that is not JSON is returned trimmed.
 */
export function canonicalJson(text: string): string {
  const t = text.trim();
  try {
    return JSON.stringify(sortKeys(JSON.parse(t)));
  } catch {
    return t;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/**
 * Readable text of a content value: a string as is; text blocks (`{type: "text", text | content}`, nested
 * `{text: {value}}`) joined with "\n"; anything else as JSON. Used for tool results and event bodies.
 */
export function textOf(v: unknown): string {
  const t = plainText(v);
  return t ?? asText(v);
}

/** Text when the value is text-only (string, text block, list of text blocks), else undefined. */
function plainText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    const parts: string[] = [];
    for (const item of v) {
      const t = plainText(item);
      if (t === undefined) return undefined;
      parts.push(t);
    }
    return parts.join("\n");
  }
  if (isObject(v)) {
    const type = typeof v.type === "string" ? v.type : undefined;
    if (type !== undefined && !TEXT_TYPES.has(type)) return undefined;
    const keys = Object.keys(v).filter((k) => k !== "type" && k !== "annotations");
    if (keys.length !== 1) return undefined;
    const inner = v[keys[0]!];
    if (keys[0] === "text" || keys[0] === "content" || keys[0] === "value") return plainText(inner);
  }
  return undefined;
}

/** Part types that carry plain text (OpenAI Responses uses input_text / output_text). */
export const TEXT_TYPES: ReadonlySet<string> = new Set(["text", "input_text", "output_text"]);
const CALL_TYPES = new Set(["tool_call", "tool_use", "tool-call", "function_call", "function"]);
const RESPONSE_TYPES = new Set(["tool_call_response", "tool_result", "tool-result", "function_call_output"]);

/** An id as text: non-empty strings and numbers; anything else (missing, "", objects) is null. */
export function idOf(v: unknown): string | null {
  if (typeof v === "string") return v.trim() === "" ? null : v;
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  return null;
}

function nameOf(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * A tool call from any of the shapes above: `{id, name, arguments}`, OpenAI `{id, type: "function",
 * function: {name, arguments}}`, Anthropic `{id, name, input}`, AI SDK `{toolCallId, toolName, input | args}`,
 * Responses `{call_id, name, arguments}`. Undefined when it has neither a name nor an id.
 */
export function readToolCall(v: unknown): ToolCall | undefined {
  if (!isObject(v)) return undefined;
  const fn = isObject(v.function) ? v.function : undefined;
  const name = nameOf(fn?.name) ?? nameOf(v.name) ?? nameOf(v.toolName) ?? nameOf(v.tool_name);
  const id = idOf(v.call_id) ?? idOf(v.toolCallId) ?? idOf(v.tool_call_id) ?? idOf(v.id);
  if (name === undefined && id === null) return undefined;
  const args = fn !== undefined ? fn.arguments : (v.arguments ?? v.input ?? v.args);
  return { id, name: name ?? "", arguments: asText(args) };
}

/** One classified part of a message. */
type Piece =
  | { kind: "content"; part: AttrValue; text?: string }
  | { kind: "call"; call: ToolCall }
  | { kind: "response"; id: string | null; text: string; name?: string };

function classifyPart(p: unknown): Piece | undefined {
  if (p === undefined || p === null) return undefined;
  if (typeof p === "string") return { kind: "content", part: { type: "text", content: p }, text: p };
  if (!isObject(p)) return { kind: "content", part: p as AttrValue };
  const type = typeof p.type === "string" ? p.type.toLowerCase() : undefined;
  if (type === undefined || TEXT_TYPES.has(type)) {
    const text = typeof p.content === "string" ? p.content : typeof p.text === "string" ? p.text : plainText(p);
    if (text !== undefined) return { kind: "content", part: p, text };
    return { kind: "content", part: p };
  }
  if (CALL_TYPES.has(type)) {
    const call = readToolCall(p);
    return call ? { kind: "call", call } : { kind: "content", part: p };
  }
  if (RESPONSE_TYPES.has(type)) {
    const id = idOf(p.id) ?? idOf(p.tool_use_id) ?? idOf(p.toolCallId) ?? idOf(p.call_id) ?? idOf(p.tool_call_id);
    let response: unknown = p.response ?? p.content ?? p.output ?? p.result;
    // AI SDK ToolResultOutput: {type: "text" | "json" | …, value}
    if (isObject(response) && typeof response.type === "string" && "value" in response) response = response.value;
    const name = nameOf(p.name) ?? nameOf(p.toolName);
    return { kind: "response", id, text: textOf(response ?? ""), ...(name ? { name } : {}) };
  }
  return { kind: "content", part: p };
}

type MessageExtra = { name?: string; toolCallId?: string | null };

function buildMessage(role: string, content: Piece[], calls: ToolCall[], extra: MessageExtra): ChatMessage {
  let value: ChatMessage["content"] = null;
  if (content.length > 0) {
    const texts = content.map((p) => (p.kind === "content" ? p.text : undefined));
    value = texts.every((t) => t !== undefined) ? texts.join("\n") : content.map((p) => (p.kind === "content" ? p.part : null));
  }
  const msg: ChatMessage = { role, content: value };
  if (calls.length > 0) msg.toolCalls = calls;
  if (role === "tool" && extra.toolCallId) msg.toolCallId = extra.toolCallId;
  if (extra.name) msg.name = extra.name;
  return msg;
}

/** Messages from classified pieces: content and calls grouped in order, each tool result split out. */
function messagesFromPieces(role: string, pieces: Piece[], extra: MessageExtra): ChatMessage[] {
  const out: ChatMessage[] = [];
  let content: Piece[] = [];
  let calls: ToolCall[] = [];
  const flush = () => {
    if (content.length > 0 || calls.length > 0) out.push(buildMessage(role, content, calls, extra));
    content = [];
    calls = [];
  };
  for (const p of pieces) {
    if (p.kind === "response") {
      flush();
      const msg: ChatMessage = { role: "tool", content: p.text };
      const id = p.id ?? (role === "tool" ? (extra.toolCallId ?? null) : null);
      if (id) msg.toolCallId = id;
      const name = p.name ?? (role === "tool" ? extra.name : undefined);
      if (name) msg.name = name;
      out.push(msg);
    } else if (p.kind === "call") calls.push(p.call);
    else content.push(p);
  }
  flush();
  // A message without parts keeps its place (content capture disabled: roles only).
  if (out.length === 0) out.push(buildMessage(role, [], [], extra));
  return out;
}

/** Messages from an OTel parts array (`gen_ai.input.messages[i].parts`, `gen_ai.system_instructions`). */
export function messagesFromParts(role: string, parts: unknown[], extra: MessageExtra = {}): ChatMessage[] {
  const pieces: Piece[] = [];
  for (const p of parts) {
    const piece = classifyPart(p);
    if (piece) pieces.push(piece);
  }
  return messagesFromPieces(role, pieces, extra);
}

/**
 * One source message -> one or more canonical messages (tool results are split out). Accepts the OTel parts
 * form, provider-native forms and plain strings (given `defaultRole`). Non-objects give [].
 */
export function readMessage(v: unknown, defaultRole: string): ChatMessage[] {
  if (typeof v === "string") return [{ role: defaultRole, content: v }];
  if (!isObject(v)) return [];
  const role = typeof v.role === "string" && v.role.trim() !== "" ? v.role.trim().toLowerCase() : defaultRole;
  const toolCallId = idOf(v.tool_call_id) ?? idOf(v.toolCallId) ?? (role === "tool" ? idOf(v.id) : null);
  const extra: MessageExtra = { name: nameOf(v.name), toolCallId };
  if (Array.isArray(v.parts)) return messagesFromParts(role, v.parts, extra);
  // A bare Responses-API item (`{type: "function_call", call_id, …}` / `{type: "function_call_output", …}`).
  if (typeof v.role !== "string" && typeof v.type === "string" && !("content" in v)) {
    const type = v.type.toLowerCase();
    if (CALL_TYPES.has(type)) return messagesFromParts("assistant", [v]);
    if (RESPONSE_TYPES.has(type)) return messagesFromParts("tool", [v]);
  }

  const pieces: Piece[] = [];
  const content = parseContent(v.content);
  const toolCalls = parseJsonText(v.tool_calls ?? v.toolCalls);
  const hasCalls = (Array.isArray(toolCalls) && toolCalls.length > 0) || isObject(v.function_call);
  if (typeof content === "string") {
    if (content !== "" || !hasCalls) pieces.push({ kind: "content", part: { type: "text", content }, text: content });
  } else if (Array.isArray(content)) {
    for (const p of content) {
      const piece = classifyPart(p);
      if (piece) pieces.push(piece);
    }
  } else if (isObject(content)) {
    const text = plainText(content);
    pieces.push(
      text !== undefined ? { kind: "content", part: { type: "text", content: text }, text } : { kind: "content", part: content },
    );
  } else if (content !== undefined && content !== null) {
    const text = String(content);
    pieces.push({ kind: "content", part: { type: "text", content: text }, text });
  }
  if (Array.isArray(toolCalls)) {
    for (const tc of toolCalls) {
      const call = readToolCall(tc);
      if (call) pieces.push({ kind: "call", call });
    }
  }
  if (isObject(v.function_call)) {
    const call = readToolCall(v.function_call);
    if (call) pieces.push({ kind: "call", call: { ...call, id: null } });
  }
  return messagesFromPieces(role, pieces, extra);
}

/** Message content that is JSON text of a content-block array (`[{"type": …}, …]`) is parsed; other text stays text. */
function parseContent(v: AttrValue | undefined): AttrValue | undefined {
  if (typeof v !== "string" || !v.trimStart().startsWith("[")) return v;
  const parsed = parseJsonText(v);
  return Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => isObject(p) && typeof p.type === "string")
    ? parsed
    : v;
}

/**
 * A list of messages from an attribute value (JSON text or structured): an array of messages (or of strings),
 * or a single message object. Undefined when the value is not one of those (invalid JSON, a number…), so the
 * caller leaves the attribute unconsumed. An empty array gives [].
 */
export function readMessages(v: AttrValue | undefined, defaultRole: string): ChatMessage[] | undefined {
  const parsed = parseJsonText(v);
  if (Array.isArray(parsed)) {
    const out: ChatMessage[] = [];
    for (const m of parsed) if (typeof m === "string" || isObject(m)) out.push(...readMessage(m, defaultRole));
    return parsed.length > 0 && out.length === 0 ? undefined : out;
  }
  if (isObject(parsed) && ("role" in parsed || "parts" in parsed || "content" in parsed)) return readMessage(parsed, defaultRole);
  return undefined;
}

/**
 * System instructions (`gen_ai.system_instructions`: a parts array without a message wrapper, or plain text)
 * as leading system message(s). Undefined when unparseable.
 */
export function readSystemInstructions(v: AttrValue | undefined): ChatMessage[] | undefined {
  const parsed = parseJsonText(v);
  if (typeof parsed === "string") return parsed === "" ? [] : [{ role: "system", content: parsed }];
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return [];
    // Some emitters send a messages array here instead of bare parts.
    if (parsed.every((p) => isObject(p) && ("role" in p || "parts" in p))) return readMessages(parsed, "system");
    return messagesFromParts("system", parsed);
  }
  if (isObject(parsed)) return readMessage(parsed, "system");
  return undefined;
}

/**
 * The first finish reason of a value that is an array of strings, JSON text of one, or a plain string;
 * normalized spelling (`tool-calls` / `tool_call` -> `tool_calls`). Empty strings are skipped.
 */
export function firstFinishReason(v: AttrValue | undefined): string | undefined {
  const parsed = parseJsonText(v);
  if (typeof parsed === "string") return normalizeFinishReason(parsed.trim() || undefined);
  if (Array.isArray(parsed)) {
    for (const r of parsed) if (typeof r === "string" && r.trim() !== "") return normalizeFinishReason(r.trim());
  }
  return undefined;
}

const INDEXED_FIELDS = new Set(["role", "content", "user", "tool_call_id", "name", "finish_reason"]);
const INDEXED_CALL = /^tool_calls\.(\d+)\.(id|name|arguments)$/;
const INDEXED_FUNCTION = /^function_call\.(name|arguments)$/;
const INDEX_KEY = /^(\d+)\.(.+)$/;

/**
 * Messages from indexed attributes under `prefix` (`gen_ai.prompt`, `gen_ai.completion`): per index
 * `role`, `content` (or Cohere's `user`), `tool_call_id`, `name`, `finish_reason`, `tool_calls.M.id/name/arguments`,
 * `function_call.name/arguments`. Content that is JSON text of a content-block array is parsed into parts.
 * Every key read is added to `consumed`; unknown sub-keys (`relevanceScore`, `searchResult.…`) are left alone.
 * Returns undefined when there is no such row; `finishReasons` are per message, normalized.
 */
export function readIndexedMessages(
  attrs: Attributes,
  prefix: string,
  defaultRole: string,
  consumed: Set<string>,
): { messages: ChatMessage[]; finishReasons: string[] } | undefined {
  const p = prefix + ".";
  const rows = new Map<number, { fields: Map<string, AttrValue>; keys: string[] }>();
  for (const key in attrs) {
    if (!key.startsWith(p)) continue;
    const m = INDEX_KEY.exec(key.slice(p.length));
    if (!m) continue;
    const sub = m[2]!;
    if (!INDEXED_FIELDS.has(sub) && !INDEXED_CALL.test(sub) && !INDEXED_FUNCTION.test(sub)) continue;
    const idx = Number(m[1]);
    const row = rows.get(idx) ?? { fields: new Map<string, AttrValue>(), keys: [] };
    row.fields.set(sub, attrs[key]!);
    row.keys.push(key);
    rows.set(idx, row);
  }
  if (rows.size === 0) return undefined;
  const messages: ChatMessage[] = [];
  const finishReasons: string[] = [];
  for (const [, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    const f = row.fields;
    const text = (k: string): string | undefined => {
      const v = f.get(k);
      return v === undefined || v === null ? undefined : typeof v === "string" ? v : asText(v);
    };
    const role = text("role")?.trim().toLowerCase() || defaultRole;
    const pieces: Piece[] = [];
    const content = parseContent(f.get("content") ?? f.get("user"));
    if (Array.isArray(content)) {
      for (const part of content) {
        const piece = classifyPart(part);
        if (piece) pieces.push(piece);
      }
    } else if (content !== undefined && content !== null) {
      const t = typeof content === "string" ? content : asText(content);
      pieces.push({ kind: "content", part: { type: "text", content: t }, text: t });
    }
    const calls = new Map<number, { id?: AttrValue; name?: AttrValue; arguments?: AttrValue }>();
    for (const [sub, v] of f) {
      const c = INDEXED_CALL.exec(sub);
      if (!c) continue;
      const call = calls.get(Number(c[1])) ?? {};
      call[c[2] as "id" | "name" | "arguments"] = v;
      calls.set(Number(c[1]), call);
    }
    const callPieces: Piece[] = [];
    for (const [, c] of [...calls].sort((a, b) => a[0] - b[0])) {
      callPieces.push({ kind: "call", call: { id: idOf(c.id), name: nameOf(c.name) ?? "", arguments: asText(c.arguments) } });
    }
    // Together sends the first tool call twice (as function_call.* and tool_calls.0.*): tool_calls win.
    if (calls.size === 0 && nameOf(f.get("function_call.name")) !== undefined) {
      callPieces.push({
        kind: "call",
        call: { id: null, name: text("function_call.name") ?? "", arguments: text("function_call.arguments") ?? "" },
      });
    }
    // An assistant turn that only calls tools sends content "": no content then.
    if (callPieces.length > 0 && pieces.length === 1 && pieces[0]!.kind === "content" && pieces[0]!.text === "")
      pieces.length = 0;
    pieces.push(...callPieces);
    messages.push(...messagesFromPieces(role, pieces, { name: nameOf(f.get("name")), toolCallId: idOf(f.get("tool_call_id")) }));
    const reason = normalizeFinishReason(text("finish_reason")?.trim() || undefined);
    if (reason) finishReasons.push(reason);
    for (const k of row.keys) consumed.add(k);
  }
  return { messages, finishReasons };
}
