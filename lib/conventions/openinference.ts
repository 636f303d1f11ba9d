import type { Attributes, AttrValue, Span } from "@/lib/otlp/types";
import type { ChatMessage, ConventionFamily, NormalizedStep, StepKind, ToolCall } from "@/lib/conventions/types";
import { count, first, indexed, normalizeFinishReason, str, structured, toJsonText } from "@/lib/conventions/values";
import { TEXT_TYPES } from "@/lib/conventions/messages";

/**
 * OpenInference (Arize Phoenix) spans: `openinference.span.kind` plus flattened, indexed
 * message attributes (`llm.input_messages.0.message.role`…).
 * Spec: https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md
 * Keys checked against @arizeai/openinference-semantic-conventions and the OpenAI /
 * OpenAI Agents instrumentations (node_modules/@arizeai/openinference-instrumentation-*).
 */

const KIND = "openinference.span.kind";

/** EMBEDDING and RERANKER feed retrieval, they are not decisions; EVALUATOR and PROMPT are bookkeeping. */
const KINDS: Record<string, StepKind> = {
  LLM: "llm",
  TOOL: "tool",
  AGENT: "agent",
  CHAIN: "chain",
  RETRIEVER: "retrieval",
  RERANKER: "retrieval",
  EMBEDDING: "retrieval",
  GUARDRAIL: "guardrail",
  EVALUATOR: "other",
  PROMPT: "other",
};

/** Session-like keys sometimes found inside the `metadata` JSON (LangGraph puts thread_id there). */
const METADATA_SESSION_KEYS = ["session_id", "sessionId", "thread_id", "threadId", "conversation_id", "conversationId"];

export const openinference: ConventionFamily = {
  name: "openinference",
  detect(span) {
    return (
      span.attributes[KIND] !== undefined ||
      span.scope.name.startsWith("@arizeai/openinference") ||
      span.scope.name.startsWith("openinference.")
    );
  },
  normalize,
};

function normalize(span: Span): NormalizedStep {
  const a = span.attributes;
  const consumed = new Set<string>();
  const take = (key: string): string | undefined => {
    const v = str(a, key);
    if (v !== undefined) consumed.add(key);
    return v;
  };

  const rawKind = str(a, KIND)?.trim().toUpperCase();
  if (rawKind !== undefined) consumed.add(KIND);
  let kind: StepKind = (rawKind ? KINDS[rawKind] : undefined) ?? "other";
  const step: NormalizedStep = { family: "openinference", kind, name: span.name, consumed };

  const agentName = take("agent.name");
  if (agentName) step.agentName = agentName;
  const sessionId = take("session.id") ?? metadataSession(a);
  if (sessionId) step.sessionId = sessionId;

  if (kind === "llm" || kind === "retrieval") readModel(a, step, take);
  if (kind === "llm") readLlm(a, step, take);

  if (kind === "tool") {
    const handoff = readHandoff(span);
    if (handoff) {
      // OpenAI Agents handoffs arrive as TOOL spans `handoff to X`: an agent-to-agent edge.
      kind = step.kind = "agent";
      step.handoffTo = handoff.to;
      if (handoff.from) step.agentName = handoff.from;
      for (const k of ["tool.name", "input.value", "input.mime_type", "output.value", "output.mime_type"])
        if (a[k] !== undefined) consumed.add(k);
    } else if (span.name === "mcp_tools" && a["tool.name"] === undefined) {
      // OpenAI Agents lists an MCP server's tools with a TOOL span: no tool ran.
      kind = step.kind = "other";
    } else {
      readTool(a, step, take);
    }
  }

  if (kind === "guardrail") {
    // OpenAI Agents puts the guardrail's name in tool.name; guardrail.triggered stays as evidence.
    const name = take("tool.name");
    if (name) step.name = name;
  }

  if (kind === "agent" && !step.agentName && !step.handoffTo) step.agentName = str(a, "graph.node.id") ?? span.name;

  if (kind !== "llm" && kind !== "tool" && !step.handoffTo) {
    const input = take("input.value");
    if (input !== undefined) {
      step.input = input;
      if (a["input.mime_type"] !== undefined) consumed.add("input.mime_type");
    }
    const output = take("output.value");
    if (output !== undefined) {
      step.output = output;
      if (a["output.mime_type"] !== undefined) consumed.add("output.mime_type");
    }
  }

  if (span.parentSpanId === null && (kind === "agent" || kind === "chain")) step.runName = span.name;
  return step;
}

type Take = (key: string) => string | undefined;

function readModel(a: Attributes, step: NormalizedStep, take: Take): void {
  const model = first(
    a,
    ["llm.model_name", "llm.response.model_name", "llm.request.model_name", "embedding.model_name", "reranker.model_name"],
    str,
  );
  if (model) {
    step.model = model;
    for (const k of [
      "llm.model_name",
      "llm.response.model_name",
      "llm.request.model_name",
      "embedding.model_name",
      "reranker.model_name",
    ]) {
      if (str(a, k) === model) step.consumed.add(k);
    }
  }
  // llm.provider is the hosting provider; llm.system (the "AI product") is only a fallback.
  const provider = take("llm.provider") ?? take("llm.system");
  if (provider) step.provider = provider;
  const tokens = {
    inputTokens: "llm.token_count.prompt",
    outputTokens: "llm.token_count.completion",
    totalTokens: "llm.token_count.total",
  } as const;
  for (const field of Object.keys(tokens) as (keyof typeof tokens)[]) {
    const n = count(a, tokens[field]);
    if (n !== undefined) {
      step[field] = n;
      step.consumed.add(tokens[field]);
    }
  }
}

function readLlm(a: Attributes, step: NormalizedStep, take: Take): void {
  const input = readMessages(a, "llm.input_messages", step.consumed);
  const output = readMessages(a, "llm.output_messages", step.consumed);
  if (input.length) step.inputMessages = input;
  if (output.length) step.outputMessages = output;
  // Without structured messages the raw request/response is all there is.
  if (!input.length) {
    const v = take("input.value");
    if (v !== undefined) step.input = v;
  }
  if (!output.length) {
    const v = take("output.value");
    if (v !== undefined) step.output = v;
  }

  const tools: AttrValue[] = [];
  for (const [idx, row] of indexed(a, "llm.tools")) {
    for (const sub in row) {
      const v = structured(row, sub);
      if (v === undefined) continue;
      // tool.json_schema is the spec'd key; anything else under the row is kept whole.
      tools.push(sub === "tool.json_schema" ? v : { [sub]: v });
      step.consumed.add(`llm.tools.${idx}.${sub}`);
    }
  }
  if (tools.length) step.tools = tools;

  const params = structured(a, "llm.invocation_parameters");
  if (params && typeof params === "object" && !Array.isArray(params) && !(params instanceof Uint8Array)) {
    step.parameters = params;
    step.consumed.add("llm.invocation_parameters");
  }
  const finish = normalizeFinishReason(take("llm.finish_reason"));
  if (finish) step.finishReason = finish;
}

/**
 * Indexed messages: `{prefix}.N.message.role|content|name|tool_call_id`,
 * `.message.contents.M.message_content.type|text|image.image.url…`,
 * `.message.tool_calls.M.tool_call.id|function.name|function.arguments`,
 * and the legacy `.message.function_call_name|function_call_arguments_json`.
 * Also accepts the whole list as one JSON attribute under `{prefix}`.
 */
function readMessages(a: Attributes, prefix: string, consumed: Set<string>): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const [idx, row] of indexed(a, prefix)) {
    const msg = messageFromRow(row);
    if (!msg) continue;
    out.push(msg);
    for (const sub in row) if (isMessageKey(sub)) consumed.add(`${prefix}.${idx}.${sub}`);
  }
  if (out.length === 0 && a[prefix] !== undefined) {
    const list = structured(a, prefix);
    if (Array.isArray(list)) {
      for (const item of list) {
        const m = messageFromJson(item);
        if (m) out.push(m);
      }
      if (out.length) consumed.add(prefix);
    }
  }
  return out;
}

const MESSAGE_KEY =
  /^message\.(role|content|name|tool_call_id|function_call_name|function_call_arguments_json|contents\.\d+\..+|tool_calls\.\d+\.tool_call\.(id|function\.name|function\.arguments))$/;

function isMessageKey(sub: string): boolean {
  return MESSAGE_KEY.test(sub);
}

function messageFromRow(row: Attributes): ChatMessage | null {
  const role = str(row, "message.role");
  const text = str(row, "message.content");
  const parts = contentParts(row);
  const toolCalls = toolCallsFromRow(row);
  const toolCallId = str(row, "message.tool_call_id");
  const name = str(row, "message.name") ?? str(row, "message.function_call_name");
  if (role === undefined && text === undefined && parts === null && !toolCalls.length) return null;

  const msg: ChatMessage = { role: (role ?? "user").toLowerCase(), content: text ?? parts };
  if (toolCalls.length) msg.toolCalls = toolCalls;
  if (toolCallId) msg.toolCallId = toolCallId;
  if (name) msg.name = name;
  return msg;
}

/** Multi-part content: text-only parts become one string, anything else stays structured. */
function contentParts(row: Attributes): string | AttrValue[] | null {
  const parts: { [key: string]: AttrValue }[] = [];
  for (const [, part] of indexed(row, "message.contents")) {
    const p: { [key: string]: AttrValue } = {};
    for (const k in part) p[k.startsWith("message_content.") ? k.slice("message_content.".length) : k] = part[k]!;
    parts.push(p);
  }
  if (!parts.length) return null;
  if (
    parts.every(
      (p) => (p.type === undefined || (typeof p.type === "string" && TEXT_TYPES.has(p.type))) && typeof p.text === "string",
    )
  ) {
    return parts.map((p) => p.text as string).join("\n");
  }
  return parts;
}

function toolCallsFromRow(row: Attributes): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const [, tc] of indexed(row, "message.tool_calls")) {
    const name = str(tc, "tool_call.function.name");
    const id = str(tc, "tool_call.id");
    const args = str(tc, "tool_call.function.arguments");
    if (name === undefined && id === undefined && args === undefined) continue;
    calls.push({ id: id ?? null, name: name ?? "", arguments: args ?? "" });
  }
  // Legacy OpenAI function calling: one call, no id.
  const fname = str(row, "message.function_call_name");
  const fargs = str(row, "message.function_call_arguments_json");
  if (!calls.length && fname !== undefined && (fargs !== undefined || str(row, "message.role") === "assistant")) {
    calls.push({ id: null, name: fname, arguments: fargs ?? "" });
  }
  return calls;
}

/** `{role, content, tool_calls…}` or `{message: {…}}` from a JSON list. */
function messageFromJson(item: AttrValue): ChatMessage | null {
  if (!isRecord(item)) return null;
  const m = isRecord(item.message) ? item.message : item;
  if (typeof m.role !== "string") return null;
  const content = m.content;
  const msg: ChatMessage = {
    role: m.role.toLowerCase(),
    content: typeof content === "string" || Array.isArray(content) ? content : content == null ? null : toJsonText(content),
  };
  const calls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  const toolCalls: ToolCall[] = [];
  for (const c of calls) {
    if (!isRecord(c)) continue;
    const tc = isRecord(c.tool_call) ? c.tool_call : c;
    const fn = isRecord(tc.function) ? tc.function : {};
    const name = typeof fn.name === "string" ? fn.name : typeof tc["function.name"] === "string" ? tc["function.name"] : "";
    const args = fn.arguments ?? tc["function.arguments"];
    toolCalls.push({ id: typeof tc.id === "string" ? tc.id : null, name, arguments: args == null ? "" : toJsonText(args) });
  }
  if (toolCalls.length) msg.toolCalls = toolCalls;
  if (typeof m.tool_call_id === "string") msg.toolCallId = m.tool_call_id;
  if (typeof m.name === "string") msg.name = m.name;
  return msg;
}

function readTool(a: Attributes, step: NormalizedStep, take: Take): void {
  const name = take("tool.name");
  if (name) step.toolName = name;
  // tool_call.id is what the instrumentations set; tool.id is the spec'd result id (= tool_call.id).
  const id = take("tool_call.id") ?? take("tool.id");
  if (id) step.toolCallId = id;
  const args = take("input.value");
  if (args !== undefined) {
    step.toolArguments = args;
    if (a["input.mime_type"] !== undefined) step.consumed.add("input.mime_type");
  }
  const result = take("output.value");
  if (result !== undefined) {
    step.toolResult = result;
    if (a["output.mime_type"] !== undefined) step.consumed.add("output.mime_type");
  }
  // tool.parameters / tool.json_schema / tool.description describe the tool, not this call: kept as attributes.
}

/** `handoff to X` (span name), tool.name `handoff_to_X`, input {"from_agent"}, output {"to_agent"}. */
function readHandoff(span: Span): { to: string; from?: string } | null {
  const a = span.attributes;
  const toolName = str(a, "tool.name");
  const isHandoff =
    span.name === "handoff" || span.name.startsWith("handoff to ") || (toolName?.startsWith("handoff_to_") ?? false);
  if (!isHandoff) return null;
  const out = structured(a, "output.value");
  const inp = structured(a, "input.value");
  const to =
    (isRecord(out) && typeof out.to_agent === "string" ? out.to_agent : undefined) ??
    (span.name.startsWith("handoff to ") ? span.name.slice("handoff to ".length) : undefined) ??
    (toolName?.startsWith("handoff_to_") ? toolName.slice("handoff_to_".length) : undefined);
  if (!to) return null;
  const from = isRecord(inp) && typeof inp.from_agent === "string" ? inp.from_agent : undefined;
  return from ? { to, from } : { to };
}

function metadataSession(a: Attributes): string | undefined {
  const meta = structured(a, "metadata");
  if (!isRecord(meta)) return undefined;
  for (const k of METADATA_SESSION_KEYS) {
    const v = meta[k];
    if (typeof v === "string" && v) return v;
    if (typeof v === "number") return String(v);
  }
  return undefined;
}

function isRecord(v: AttrValue | undefined): v is { [key: string]: AttrValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
