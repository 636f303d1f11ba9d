import type { Attributes, AttrValue, Span } from "@/lib/otlp/types";
import type { ConventionFamily, NormalizedStep, StepKind } from "@/lib/conventions/types";
import { asText, canonicalJson, isObject, parseJsonText, parseJsonValue } from "@/lib/conventions/messages";
import { AttrReader, compact, normalizeGenAi, operationKind, text } from "@/lib/conventions/genai";

/**
 * OpenLLMetry / Traceloop (`@traceloop/node-server-sdk` 0.27 and its instrumentations, Python traceloop-sdk).
 *
 * Model calls from current Traceloop instrumentations (openai, anthropic, bedrock, langchain, llamaindex,
 * google-generativeai) use the OTel GenAI attributes (`chat gpt-4o`, `gen_ai.input.messages`…); older ones
 * (together, cohere, vertexai, manual `withLLMCall`) use the indexed `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`
 * form with `llm.request.type` and span names like `together.chat`. Both are parsed by the shared GenAI core.
 * On top of that this family reads the Traceloop entity spans (`withWorkflow` / `withTask` / `withAgent` /
 * `withTool`, span names `{name}.workflow|task|agent|tool`):
 * - `traceloop.span.kind`: workflow -> chain (runName = `traceloop.workflow.name`), task -> chain, agent -> agent
 *   (agentName and runName = entity name), tool -> tool (toolName = entity name), handoff -> agent, session -> other.
 *   An explicit `gen_ai.operation.name` of execute_tool / invoke_agent wins over workflow/task (the LangChain
 *   instrumentation marks tool spans `task` and agent executors `workflow` "for backward compatibility").
 * - `traceloop.entity.input` / `.output`: SDK wrappers are unwrapped for tools (`{"args":[],"kwargs":{…}}` ->
 *   the kwargs, `{"args":[x]}` -> x, a JSON string literal -> the string) so the arguments and result compare with
 *   the model's tool call and the next turn's tool message; other kinds keep them as `input` / `output` text.
 * - session id from `traceloop.association.properties.session_id` (also `sessionId`, `conversation_id`,
 *   `conversationId`) when `gen_ai.conversation.id` is absent; other association properties stay attributes.
 * - `llm.usage.total_tokens`, `llm.request.functions.N.*` (tool definitions), `llm.top_k`, `llm.frequency_penalty`,
 *   `llm.presence_penalty`, `llm.chat.stop_sequences` (parameters).
 * `traceloop.workflow.name` and `gen_ai.agent.name` are copied by the SDK onto every span started inside a
 * workflow/agent (model calls, HTTP calls…): they are read as the run name only on workflow/agent spans.
 */

const T = {
  spanKind: "traceloop.span.kind",
  entityName: "traceloop.entity.name",
  entityInput: "traceloop.entity.input",
  entityOutput: "traceloop.entity.output",
  workflowName: "traceloop.workflow.name",
  entityPath: "traceloop.entity.path",
  association: "traceloop.association.properties.",
  requestType: "llm.request.type",
  functions: "llm.request.functions",
} as const;

const SESSION_PROPERTIES = ["session_id", "sessionId", "conversation_id", "conversationId"];

const SPAN_KIND: Readonly<Record<string, StepKind>> = {
  workflow: "chain",
  task: "chain",
  agent: "agent",
  tool: "tool",
  handoff: "agent",
  session: "other",
};

const PARAMETER_KEYS = {
  "llm.top_k": "top_k",
  "llm.frequency_penalty": "frequency_penalty",
  "llm.presence_penalty": "presence_penalty",
  "llm.chat.stop_sequences": "stop_sequences",
} as const;

const NAME_SUFFIX = /^(.+)\.(workflow|task|agent|tool)$/;

/**
 * SDK-wrapped entity input -> the tool arguments as the model sent them: `{"args":[],"kwargs":{…}}` -> the kwargs
 * JSON, `{"args":[x]}` (LangChain) -> x as text. Anything else is returned unchanged.
 */
export function unwrapEntityInput(raw: string): string {
  const v = parseJsonText(raw);
  if (!isObject(v) || !Object.keys(v).every((k) => k === "args" || k === "kwargs")) return raw;
  const args = Array.isArray(v.args) ? v.args : [];
  const kwargs = isObject(v.kwargs) ? v.kwargs : {};
  const hasKwargs = Object.keys(kwargs).length > 0;
  if (args.length === 0 && hasKwargs) return asText(kwargs);
  if (args.length === 1 && !hasKwargs) return asText(args[0]);
  return raw;
}

/** SDK-serialised entity output -> the tool result as text: a JSON string literal is unquoted; anything else unchanged. */
export function unwrapEntityOutput(raw: string): string {
  const v = parseJsonValue(raw);
  return typeof v === "string" ? v : raw;
}

/** Tool definitions from `llm.request.functions.N.name/description/parameters|arguments`. */
function readFunctions(attrs: Attributes, consumed: Set<string>): AttrValue[] | undefined {
  const p = T.functions + ".";
  const rows = new Map<number, Record<string, AttrValue>>();
  for (const key in attrs) {
    if (!key.startsWith(p)) continue;
    const m = /^(\d+)\.(name|description|parameters|arguments)$/.exec(key.slice(p.length));
    const v = attrs[key];
    if (!m || v === undefined || v === null) continue;
    const row = rows.get(Number(m[1])) ?? {};
    row[m[2] === "arguments" ? "parameters" : m[2]!] = m[2] === "name" || m[2] === "description" ? v : parseJsonText(v)!;
    rows.set(Number(m[1]), row);
    consumed.add(key);
  }
  if (rows.size === 0) return undefined;
  return [...rows].sort((x, y) => x[0] - y[0]).map(([, row]) => row);
}

/** Session id from Traceloop association properties. */
export function traceloopSessionId(r: AttrReader): string | undefined {
  return r.takeFirst(
    SESSION_PROPERTIES.map((k) => T.association + k),
    text,
  );
}

/**
 * Normalizes an OpenLLMetry span: the GenAI core first (model calls, tools with gen_ai.* attributes), then the
 * Traceloop entity markers. Exported for families that wrap Traceloop spans (MCP).
 */
export function normalizeOpenLLMetry(span: Span, family = "openllmetry"): NormalizedStep {
  const a = span.attributes;
  const step = normalizeGenAi(span, { family, totalTokenKeys: ["llm.usage.total_tokens"], parameterKeys: PARAMETER_KEYS });
  const r = new AttrReader(a, step.consumed);

  const spanKind = text(a, T.spanKind)?.trim().toLowerCase();
  const opKind = operationKind(text(a, "gen_ai.operation.name")?.trim());
  const nameMatch = NAME_SUFFIX.exec(span.name);
  // `{name}.{kind}` span names carry the entity name when the attribute is missing.
  const entityName =
    text(a, T.entityName) ?? (nameMatch && (spanKind === undefined || spanKind === nameMatch[2]) ? nameMatch[1] : undefined);

  let kind: StepKind = step.kind;
  const markedKind = spanKind !== undefined ? SPAN_KIND[spanKind] : undefined;
  if (markedKind !== undefined) {
    r.consumed.add(T.spanKind);
    kind = (spanKind === "workflow" || spanKind === "task") && (opKind === "tool" || opKind === "agent") ? opKind : markedKind;
  } else if (opKind === undefined && step.kind === "other") {
    const requestType = text(a, T.requestType)?.trim().toLowerCase();
    if (requestType === "chat" || requestType === "completion") kind = "llm";
    else if (requestType === "rerank" || requestType === "embedding" || requestType === "embeddings") kind = "retrieval";
    else if (requestType !== undefined && "db.system" in a) kind = "retrieval";
    else if (nameMatch && spanKind === undefined) {
      kind = SPAN_KIND[nameMatch[2]!]!;
    }
  }
  step.kind = kind;

  const takeEntityName = () => {
    if (entityName !== undefined && text(a, T.entityName) === entityName) r.consumed.add(T.entityName);
    return entityName;
  };

  // Entity input/output: unwrapped into tool fields, else kept as input/output, unless they repeat the messages.
  const rawInput = a[T.entityInput] === undefined ? undefined : asText(a[T.entityInput]);
  const rawOutput = a[T.entityOutput] === undefined ? undefined : asText(a[T.entityOutput]);
  const repeats = (raw: string, key: string) => a[key] !== undefined && asText(a[key]) === raw;

  if (kind === "tool") {
    if (step.toolName === undefined) step.toolName = takeEntityName();
    else if (entityName === step.toolName) r.consumed.add(T.entityName);
    if (step.toolName !== undefined) step.name = step.toolName;
    if (rawInput !== undefined) {
      const args = unwrapEntityInput(rawInput);
      if (step.toolArguments === undefined) step.toolArguments = args;
      else if (canonicalJson(args) !== canonicalJson(step.toolArguments)) step.input = rawInput;
      r.consumed.add(T.entityInput);
    }
    if (rawOutput !== undefined) {
      const result = unwrapEntityOutput(rawOutput);
      if (step.toolResult === undefined) step.toolResult = result;
      else if (canonicalJson(result) !== canonicalJson(step.toolResult)) step.output = rawOutput;
      r.consumed.add(T.entityOutput);
    }
  } else {
    if (rawInput !== undefined) {
      if (!repeats(rawInput, "gen_ai.input.messages")) step.input ??= rawInput;
      r.consumed.add(T.entityInput);
    }
    if (rawOutput !== undefined) {
      if (!repeats(rawOutput, "gen_ai.output.messages")) step.output ??= rawOutput;
      r.consumed.add(T.entityOutput);
    }
  }

  if (spanKind === "workflow" && kind === "chain") {
    const name = takeEntityName();
    step.runName = r.take(T.workflowName, text) ?? name;
    if (name !== undefined) step.name = name;
  } else if (spanKind === "task" && kind === "chain") {
    const name = takeEntityName();
    if (name !== undefined) step.name = name;
  } else if (spanKind === "agent" || (kind === "agent" && markedKind === undefined && nameMatch?.[2] === "agent")) {
    const name = takeEntityName();
    if (step.agentName === undefined) step.agentName = name;
    else if (name === step.agentName) r.consumed.add(T.entityName);
    step.runName ??= name ?? step.agentName;
    if (name !== undefined) step.name = name;
    if (step.runName !== undefined && text(a, T.workflowName) === step.runName) r.consumed.add(T.workflowName);
  } else if (spanKind === "handoff" && step.handoffTo === undefined) {
    // Python openai-agents instrumentation: "AgentA → AgentB.handoff"
    const m = /^(.+?)\s*(?:→|->)\s*(.+?)\.handoff$/.exec(span.name);
    if (m) {
      step.agentName ??= m[1];
      step.handoffTo = m[2];
    }
  } else if (kind === "chain" && markedKind === undefined && nameMatch !== null) {
    step.name = nameMatch[1]!;
    if (nameMatch[2] === "workflow") step.runName ??= nameMatch[1];
  }

  step.sessionId ??= traceloopSessionId(r);
  step.tools ??= readFunctions(a, r.consumed);
  return compact(step);
}

/** Scope prefix of every Traceloop instrumentation and of the SDK itself. */
const SCOPE_PREFIX = "@traceloop/";

export const openllmetry: ConventionFamily = {
  name: "openllmetry",
  detect(span) {
    const a = span.attributes;
    if (span.scope.name.startsWith(SCOPE_PREFIX)) return true;
    if (T.spanKind in a || T.entityName in a || T.requestType in a) return true;
    // A GenAI span from another instrumentation started inside a Traceloop workflow: the SDK stamps the workflow on it.
    return (
      (T.workflowName in a || T.entityPath in a) &&
      ("gen_ai.operation.name" in a || "gen_ai.system" in a || "gen_ai.provider.name" in a)
    );
  },
  normalize: (span) => normalizeOpenLLMetry(span),
};
