import type { AttrValue, Span } from "@/lib/otlp/types";
import { normalizeGenAi } from "@/lib/conventions/genai";
import { isObject, messagesFromParts, parseJsonText, readSystemInstructions } from "@/lib/conventions/messages";
import type { ChatMessage, ConventionFamily, NormalizedStep, StepKind } from "@/lib/conventions/types";
import { count, normalizeFinishReason, str } from "@/lib/conventions/values";

/**
 * Google Agent Development Kit (Python ADK, google/adk/telemetry/tracing.py; Java/JS ADK alike): tracer
 * `gcp.vertex.agent`, spans `invocation` -> `invoke_agent {agent}` (older: `agent_run [{agent}]`) ->
 * `call_llm` and `execute_tool {tool}` (siblings under the agent span; `execute_tool (merged)` for
 * parallel calls). GenAI attributes are the base; ADK's own `gcp.vertex.agent.*` add the content:
 * `llm_request` / `llm_response` (JSON of the Gemini request/response: contents of parts `text`,
 * `function_call {id, name, args}`, `function_response {id, name, response}`), `tool_call_args`,
 * `tool_response`, `invocation_id`, `session_id`, `event_id`. ADK is not installed here; keys follow its
 * source and are read liberally (snake_case from Python's model_dump, camelCase from Java/JS).
 *
 * `gen_ai.system` is "gcp.vertex.agent" (the framework, not the model provider): it stays an attribute and
 * the provider is derived from the model name ("gemini…" -> google, LiteLLM "openai/gpt-4o" -> openai).
 */

const A = {
  llmRequest: "gcp.vertex.agent.llm_request",
  llmResponse: "gcp.vertex.agent.llm_response",
  toolArgs: "gcp.vertex.agent.tool_call_args",
  toolResponse: "gcp.vertex.agent.tool_response",
  sessionId: "gcp.vertex.agent.session_id",
  invocationId: "gcp.vertex.agent.invocation_id",
  eventId: "gcp.vertex.agent.event_id",
} as const;
/** What ADK writes when it has no value. */
const PLACEHOLDERS = new Set(["<not specified>", "N/A", "{}", "<not serializable>", ""]);
/** Config entries that are not model parameters. */
const NOT_PARAMETERS = new Set(["system_instruction", "systemInstruction", "tools", "http_options", "httpOptions", "labels"]);

export const adk: ConventionFamily = {
  name: "adk",
  detect(span) {
    const a = span.attributes;
    return (
      span.scope.name === "gcp.vertex.agent" ||
      a[A.llmRequest] !== undefined ||
      a[A.toolArgs] !== undefined ||
      a[A.invocationId] !== undefined ||
      a[A.eventId] !== undefined ||
      a["gen_ai.system"] === "gcp.vertex.agent"
    );
  },
  normalize,
};

function kindOf(span: Span, base: StepKind): StepKind {
  const n = span.name;
  if (n === "call_llm" || n.startsWith("generate_content")) return "llm";
  if (n.startsWith("execute_tool")) return "tool";
  if (n.startsWith("invoke_agent") || n.startsWith("agent_run")) return "agent";
  if (n === "invocation") return "chain";
  if (base === "other" && span.attributes[A.llmRequest] !== undefined && span.attributes[A.toolArgs] === undefined) return "llm";
  return base;
}

function normalize(span: Span): NormalizedStep {
  const a = span.attributes;
  const step = normalizeGenAi(span, { family: "adk" });
  const consumed = step.consumed;
  step.kind = kindOf(span, step.kind);

  if (str(a, "gen_ai.system") === "gcp.vertex.agent") {
    consumed.delete("gen_ai.system");
    if (step.provider === "gcp.vertex.agent") delete step.provider;
  }
  if (step.toolCallId !== undefined && PLACEHOLDERS.has(step.toolCallId)) {
    delete step.toolCallId;
    consumed.delete("gen_ai.tool.call.id");
  }
  const session = str(a, A.sessionId);
  if (session) {
    consumed.add(A.sessionId);
    step.sessionId ??= session;
  }

  if (step.kind === "llm") readLlm(span, step);
  else if (step.kind === "tool") readTool(span, step);
  else if (step.kind === "agent") {
    // Older ADK: `agent_run [name]`.
    const m = /^agent_run \[(.+)\]$/.exec(span.name);
    if (step.agentName === undefined && m) step.agentName = m[1]!;
    if (step.agentName !== undefined && step.runName === undefined && span.parentSpanId === null) step.runName = step.agentName;
  }

  if (step.model && !step.provider) {
    const provider = providerOf(step.model);
    if (provider) step.provider = provider;
  }
  return step;
}

function readLlm(span: Span, step: NormalizedStep): void {
  const a = span.attributes;
  const request = parseJsonText(a[A.llmRequest]);
  if (isObject(request)) {
    step.consumed.add(A.llmRequest);
    if (typeof request.model === "string" && step.model === undefined) step.model = request.model;
    const config = isObject(request.config) ? request.config : {};
    const system = config.system_instruction ?? config.systemInstruction;
    const messages: ChatMessage[] = [];
    if (system !== undefined && system !== null) messages.push(...(readSystemInstructions(geminiContent(system)) ?? []));
    const contents = Array.isArray(request.contents) ? request.contents : [];
    for (const c of contents) messages.push(...fromContent(c, "user"));
    if (messages.length) step.inputMessages = messages;

    const tools = Array.isArray(config.tools) ? config.tools.flatMap(toolDeclarations) : [];
    if (tools.length) step.tools = tools;
    const params: Record<string, AttrValue> = {};
    for (const k in config) if (!NOT_PARAMETERS.has(k) && config[k] !== null) params[k] = config[k]!;
    if (Object.keys(params).length || step.parameters) step.parameters = { ...params, ...step.parameters };
  }

  const response = parseJsonText(a[A.llmResponse]);
  if (isObject(response)) {
    step.consumed.add(A.llmResponse);
    const content = response.content;
    if (isObject(content)) step.outputMessages = fromContent(content, "model");
    const reason = response.finish_reason ?? response.finishReason;
    if (step.finishReason === undefined && typeof reason === "string") step.finishReason = normalizeFinishReason(reason);
    const usage = isObject(response.usage_metadata)
      ? response.usage_metadata
      : isObject(response.usageMetadata)
        ? response.usageMetadata
        : undefined;
    if (usage) {
      step.inputTokens ??= count(usage, "prompt_token_count") ?? count(usage, "promptTokenCount");
      step.outputTokens ??= count(usage, "candidates_token_count") ?? count(usage, "candidatesTokenCount");
      const total = count(usage, "total_token_count") ?? count(usage, "totalTokenCount");
      if (total !== undefined) step.totalTokens = total;
      for (const k of ["inputTokens", "outputTokens", "totalTokens"] as const) if (step[k] === undefined) delete step[k];
    }
  }
}

function readTool(span: Span, step: NormalizedStep): void {
  const a = span.attributes;
  if (step.toolName === undefined) {
    const m = /^execute_tool (.+)$/.exec(span.name);
    if (m) step.toolName = m[1]!;
  }
  if (step.toolName) step.name = step.toolName;
  const args = str(a, A.toolArgs);
  if (args !== undefined) {
    step.consumed.add(A.toolArgs);
    if (!PLACEHOLDERS.has(args)) step.toolArguments = args;
  }
  const result = str(a, A.toolResponse);
  if (result !== undefined) {
    step.consumed.add(A.toolResponse);
    if (!PLACEHOLDERS.has(result)) step.toolResult = result;
  }
  // Tool spans carry empty llm_request/llm_response placeholders for ADK's web UI.
  for (const k of [A.llmRequest, A.llmResponse]) if (str(a, k) === "{}") step.consumed.add(k);
}

/**
 * A Gemini Content `{role, parts}` as canonical messages: parts become the shared part shapes (text,
 * reasoning for thoughts, tool_call, tool_call_response), so tool results split into tool messages.
 */
function fromContent(c: AttrValue, defaultRole: string): ChatMessage[] {
  if (!isObject(c)) return [];
  const role = typeof c.role === "string" && c.role ? c.role.toLowerCase() : defaultRole;
  const parts = Array.isArray(c.parts) ? c.parts.map(toSharedPart) : [];
  return messagesFromParts(role, parts);
}

function toSharedPart(p: AttrValue): AttrValue {
  if (!isObject(p)) return p;
  const call = p.function_call ?? p.functionCall;
  if (isObject(call)) return { type: "tool_call", id: call.id ?? null, name: call.name ?? "", arguments: call.args ?? null };
  const response = p.function_response ?? p.functionResponse;
  if (isObject(response))
    return {
      type: "tool_call_response",
      id: response.id ?? null,
      name: response.name ?? null,
      response: response.response ?? null,
    };
  if (typeof p.text === "string")
    return p.thought === true ? { type: "reasoning", content: p.text } : { type: "text", content: p.text };
  return p;
}

/** system_instruction: a string, a Content {parts}, or a list of parts/strings. */
function geminiContent(v: AttrValue): AttrValue {
  if (isObject(v) && Array.isArray(v.parts)) return v.parts.map(toSharedPart);
  if (Array.isArray(v)) return v.map(toSharedPart);
  return v;
}

/** `tools: [{function_declarations: [{name, description, parameters}]}, {google_search: {}}]` -> one entry per tool. */
function toolDeclarations(t: AttrValue): AttrValue[] {
  if (!isObject(t)) return [t];
  const decls = t.function_declarations ?? t.functionDeclarations;
  return Array.isArray(decls) ? decls : [t];
}

function providerOf(model: string): string | undefined {
  const slash = model.indexOf("/");
  // LiteLLM ids ("openai/gpt-4o"); Vertex resource names ("projects/…/models/gemini-…") are Google's.
  if (slash > 0 && !model.startsWith("projects/")) return model.slice(0, slash);
  if (/(^|\/)gemini|(^|\/)gemma/.test(model)) return "google";
  return undefined;
}
