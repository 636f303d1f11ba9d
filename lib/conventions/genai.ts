import type { Attributes, AttrValue, Span, SpanEvent } from "@/lib/otlp/types";
import type { ChatMessage, ConventionFamily, NormalizedStep, StepKind } from "@/lib/conventions/types";
import { count, num, str } from "@/lib/conventions/values";
import {
  firstFinishReason,
  isObject,
  parseJsonText,
  readIndexedMessages,
  readMessage,
  readMessages,
  readSystemInstructions,
} from "@/lib/conventions/messages";

/**
 * OpenTelemetry GenAI semantic conventions (gen_ai.*), current and older forms:
 * - current (semconv ≥ 1.37): `gen_ai.input.messages` / `gen_ai.output.messages` / `gen_ai.system_instructions`
 *   (JSON text or structured parts), `gen_ai.provider.name`, `gen_ai.tool.definitions`, or the same attributes on a
 *   `gen_ai.client.inference.operation.details` span event;
 * - older (1.28–1.36): span events `gen_ai.system|user|assistant|tool.message` and `gen_ai.choice`, with the body
 *   either as event attributes (`content`, `role`, `tool_calls`, `id`, `message`, `finish_reason`, `index`) or as JSON
 *   in `gen_ai.event.content` (Azure SDKs); `gen_ai.system` as provider; `gen_ai.usage.prompt_tokens` / `completion_tokens`;
 * - oldest (≤ 1.27, also OpenLLMetry's legacy form): indexed `gen_ai.prompt.N.*` / `gen_ai.completion.N.*`,
 *   whole-conversation `gen_ai.prompt` / `gen_ai.completion` JSON, and `gen_ai.content.prompt` / `gen_ai.content.completion`
 *   events carrying those.
 * When several forms are present the newest wins; only the attributes actually used are consumed.
 *
 * Kinds by `gen_ai.operation.name` (or the first word of the span name when the attribute is missing):
 * chat / text_completion / generate_content -> llm; embeddings / retrieval / search_memory -> retrieval (an embedding
 * call is a lookup step, not a decision: keeping it out of `llm` keeps decision edges and context diffs to real model
 * turns; its model and tokens are still recorded); execute_tool -> tool; invoke_agent / create_agent / handoff -> agent;
 * invoke_workflow / workflow (OpenLLMetry LangChain) / agent_step (AI SDK v7 `step N`) -> chain; guardrail / guard -> guardrail; anything else -> other.
 * `gen_ai.operation.name` itself is never consumed: its value is finer than the kind (create_agent vs invoke_agent).
 */

const A = {
  op: "gen_ai.operation.name",
  provider: "gen_ai.provider.name",
  system: "gen_ai.system",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  promptTokens: "gen_ai.usage.prompt_tokens",
  completionTokens: "gen_ai.usage.completion_tokens",
  totalTokens: "gen_ai.usage.total_tokens",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  systemInstructions: "gen_ai.system_instructions",
  toolDefinitions: "gen_ai.tool.definitions",
  finishReasons: "gen_ai.response.finish_reasons",
  toolName: "gen_ai.tool.name",
  toolCallId: "gen_ai.tool.call.id",
  toolArguments: "gen_ai.tool.call.arguments",
  toolResult: "gen_ai.tool.call.result",
  legacyToolInput: "gen_ai.tool.input",
  legacyToolOutput: "gen_ai.tool.output",
  agentName: "gen_ai.agent.name",
  handoffFrom: "gen_ai.handoff.from_agent",
  handoffTo: "gen_ai.handoff.to_agent",
  conversationId: "gen_ai.conversation.id",
  workflowName: "gen_ai.workflow.name",
  prompt: "gen_ai.prompt",
  completion: "gen_ai.completion",
  retrievalQuery: "gen_ai.retrieval.query.text",
  retrievalDocuments: "gen_ai.retrieval.documents",
  guardrailInput: "gen_ai.guardrail.input",
  guardrailOutput: "gen_ai.guardrail.output",
} as const;

const REQUEST_PREFIX = "gen_ai.request.";
/** `gen_ai.request.*` keys that are not model parameters. */
const NOT_PARAMETERS = new Set(["gen_ai.request.model", "gen_ai.request.type"]);

/** Step kind for a `gen_ai.operation.name` value (lower-case). */
export const GENAI_OPERATION_KINDS: Readonly<Record<string, StepKind>> = {
  chat: "llm",
  text_completion: "llm",
  generate_content: "llm",
  embeddings: "retrieval",
  retrieval: "retrieval",
  search_memory: "retrieval",
  execute_tool: "tool",
  invoke_agent: "agent",
  create_agent: "agent",
  handoff: "agent",
  invoke_workflow: "chain",
  workflow: "chain",
  agent_step: "chain",
  guardrail: "guardrail",
  "guardrail.run": "guardrail",
  guard: "guardrail",
};

export function operationKind(op: string | undefined): StepKind | undefined {
  return op === undefined ? undefined : GENAI_OPERATION_KINDS[op.toLowerCase()];
}

/** `chat gpt-4o` -> ["chat", "gpt-4o"]; the target may be missing. */
function splitSpanName(name: string): [string, string | undefined] {
  const t = name.trim();
  const sp = t.indexOf(" ");
  return sp === -1 ? [t.toLowerCase(), undefined] : [t.slice(0, sp).toLowerCase(), t.slice(sp + 1).trim() || undefined];
}

/** Reads attributes and records every key it used in `consumed`. */
export class AttrReader {
  constructor(
    readonly attrs: Attributes,
    readonly consumed: Set<string> = new Set<string>(),
  ) {}

  /** The value of `key` read with `read`; consumed when defined. */
  take<T>(key: string, read: (attrs: Attributes, key: string) => T | undefined): T | undefined {
    const v = read(this.attrs, key);
    if (v !== undefined) this.consumed.add(key);
    return v;
  }

  /** The first defined value among `keys`; later keys holding the same value are consumed too, others are kept. */
  takeFirst<T>(keys: readonly string[], read: (attrs: Attributes, key: string) => T | undefined): T | undefined {
    let found: T | undefined;
    for (const k of keys) {
      const v = read(this.attrs, k);
      if (v === undefined) continue;
      if (found === undefined) {
        found = v;
        this.consumed.add(k);
      } else if (v === found) this.consumed.add(k);
    }
    return found;
  }
}

/** A non-empty string value (numbers as text). */
export function text(attrs: Attributes, key: string): string | undefined {
  const v = str(attrs, key);
  return v === undefined || v.trim() === "" ? undefined : v;
}

/** Any value as text (structured values as JSON); an empty string is still a value. */
function anyText(attrs: Attributes, key: string): string | undefined {
  return str(attrs, key);
}

function messagesReader(defaultRole: string) {
  return (attrs: Attributes, key: string) => readMessages(attrs[key], defaultRole);
}

function systemReader(attrs: Attributes, key: string): ChatMessage[] | undefined {
  return readSystemInstructions(attrs[key]);
}

function finishReader(attrs: Attributes, key: string): string | undefined {
  return firstFinishReason(attrs[key]);
}

function arrayReader(attrs: Attributes, key: string): AttrValue[] | undefined {
  const v = parseJsonText(attrs[key]);
  return Array.isArray(v) ? v : isObject(v) ? [v] : undefined;
}

/** The first non-empty `finish_reason` of an output messages value. */
function outputFinishReason(v: AttrValue | undefined): string | undefined {
  const parsed = parseJsonText(v);
  if (!Array.isArray(parsed)) return undefined;
  for (const m of parsed)
    if (isObject(m)) {
      const r = firstFinishReason(m.finish_reason);
      if (r) return r;
    }
  return undefined;
}

const ROLE_EVENTS: Readonly<Record<string, string>> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};
const CHOICE_EVENT = "gen_ai.choice";
const DETAILS_EVENT = "gen_ai.client.inference.operation.details";
const PROMPT_EVENT = "gen_ai.content.prompt";
const COMPLETION_EVENT = "gen_ai.content.completion";
const BODY_KEYS = ["role", "content", "tool_calls", "id", "message", "finish_reason", "index", "name"];

/** The body of an older GenAI event: JSON in `gen_ai.event.content` (or `event.body` / `body`), else the body-like attributes. */
function eventBody(attrs: Attributes): Record<string, AttrValue> {
  const raw = attrs["gen_ai.event.content"] ?? attrs["event.body"] ?? attrs["body"];
  if (raw !== undefined) {
    const parsed = parseJsonText(raw);
    if (isObject(parsed)) return parsed;
    if (typeof parsed === "string") return { content: parsed };
  }
  const body: Record<string, AttrValue> = {};
  for (const k of BODY_KEYS) {
    const v = attrs[k];
    if (v !== undefined) body[k] = k === "content" || k === "role" || k === "id" || k === "name" ? v : parseJsonText(v)!;
  }
  return body;
}

/**
 * What one GenAI event contributes to its model call on its own. Frameworks that send the events as OTLP log
 * records (one event per record, collector/normalize/logs.ts) are mapped through this, so a log record reads
 * exactly as the same event on the span would; `mergeGenAiEventParts` (genai-logs.ts) puts them together with
 * the precedence `normalizeGenAi` uses.
 * - `message`: a per-message event (`gen_ai.system|user|assistant|tool.message`), part of the input in order;
 * - `choice`: a `gen_ai.choice`, part of the output ordered by `index` (undefined when the event has none);
 * - `details`: a `gen_ai.client.inference.operation.details`; each field is undefined when its attribute is
 *   absent, and `unreadable` names the message attributes present but not parseable.
 */
export type GenAiEventPart =
  | { kind: "message"; input: ChatMessage[] }
  | { kind: "choice"; index: number | undefined; output: ChatMessage[]; finishReason?: string }
  | {
      kind: "details";
      system?: ChatMessage[];
      input?: ChatMessage[];
      output?: ChatMessage[];
      finishReason?: string;
      tools?: AttrValue[];
      unreadable: string[];
    };

/** The GenAI event names whose content is a model call's messages. */
export function isGenAiMessageEvent(name: string): boolean {
  return ROLE_EVENTS[name] !== undefined || name === CHOICE_EVENT || name === DETAILS_EVENT;
}

/** One event's contribution (see GenAiEventPart); undefined when the event carries no messages. */
export function readGenAiEvent(ev: SpanEvent): GenAiEventPart | undefined {
  const role = ROLE_EVENTS[ev.name];
  if (role !== undefined) return { kind: "message", input: readMessage(eventBody(ev.attributes), role) };
  if (ev.name === CHOICE_EVENT) {
    const body = eventBody(ev.attributes);
    const message = isObject(body.message) ? body.message : typeof body.message === "string" ? { content: body.message } : body;
    const finishReason = firstFinishReason(body.finish_reason);
    return {
      kind: "choice",
      index: num(body, "index"),
      output: readMessage(message, "assistant"),
      ...(finishReason ? { finishReason } : {}),
    };
  }
  if (ev.name !== DETAILS_EVENT) return undefined;
  const a = ev.attributes;
  const unreadable: string[] = [];
  const read = <T>(key: string, reader: (v: AttrValue | undefined) => T | undefined): T | undefined => {
    if (a[key] === undefined || a[key] === null) return undefined;
    const v = reader(a[key]);
    if (v === undefined) unreadable.push(key);
    return v;
  };
  const output = read(A.outputMessages, (v) => readMessages(v, "assistant"));
  const finishReason = (output && outputFinishReason(a[A.outputMessages])) ?? firstFinishReason(a[A.finishReasons]);
  const part: GenAiEventPart = {
    kind: "details",
    system: read(A.systemInstructions, readSystemInstructions),
    input: read(A.inputMessages, (v) => readMessages(v, "user")),
    output,
    finishReason,
    tools: arrayReader(a, A.toolDefinitions),
    unreadable,
  };
  for (const k of ["system", "input", "output", "finishReason", "tools"] as const) if (part[k] === undefined) delete part[k];
  return part;
}

type EventMessages = { input?: ChatMessage[]; output?: ChatMessage[]; finishReason?: string; details?: Attributes };

/** Messages carried by span events (older GenAI forms), plus the attributes of an operation-details event. */
export function readGenAiEvents(events: readonly SpanEvent[]): EventMessages {
  const out: EventMessages = {};
  let input: ChatMessage[] | undefined;
  let promptInput: ChatMessage[] | undefined;
  let completionOutput: ChatMessage[] | undefined;
  const choices: { index: number; order: number; messages: ChatMessage[] }[] = [];
  for (const ev of events) {
    if (ROLE_EVENTS[ev.name] !== undefined || ev.name === CHOICE_EVENT) {
      const part = readGenAiEvent(ev)!;
      if (part.kind === "message") (input ??= []).push(...part.input);
      else if (part.kind === "choice") {
        choices.push({ index: part.index ?? choices.length, order: choices.length, messages: part.output });
        out.finishReason ??= part.finishReason;
      }
    } else if (ev.name === PROMPT_EVENT) {
      promptInput ??= readMessages(ev.attributes[A.prompt], "user");
    } else if (ev.name === COMPLETION_EVENT) {
      completionOutput ??= readMessages(ev.attributes[A.completion], "assistant");
    } else if (ev.name === DETAILS_EVENT) {
      out.details ??= ev.attributes;
    }
  }
  out.input = input ?? promptInput;
  if (choices.length > 0) out.output = choices.sort((x, y) => x.index - y.index || x.order - y.order).flatMap((c) => c.messages);
  else out.output = completionOutput;
  return out;
}

export type GenAiOptions = {
  /** Family name written into the step. */
  family?: string;
  /** Further total-token keys tried after `gen_ai.usage.total_tokens` (e.g. OpenLLMetry's `llm.usage.total_tokens`). */
  totalTokenKeys?: readonly string[];
  /** Further parameter attributes: key -> parameter name (e.g. `llm.top_k` -> `top_k`). */
  parameterKeys?: Readonly<Record<string, string>>;
};

/**
 * Normalizes any span carrying gen_ai.* attributes or events. Shared by the families that build on the GenAI
 * conventions (OpenLLMetry, MCP): they call it, then refine kind and fields with their own markers.
 */
export function normalizeGenAi(span: Span, options: GenAiOptions = {}): NormalizedStep {
  const a = span.attributes;
  const r = new AttrReader(a);
  const [nameOp, nameTarget] = splitSpanName(span.name);
  const opAttr = text(a, A.op)?.trim().toLowerCase();
  const op = opAttr ?? (GENAI_OPERATION_KINDS[nameOp] !== undefined ? nameOp : undefined);

  const provider = r.takeFirst([A.provider, A.system], text);
  const model = r.takeFirst([A.responseModel, A.requestModel], text);

  const inputTokens = r.takeFirst([A.inputTokens, A.promptTokens], count);
  const outputTokens = r.takeFirst([A.outputTokens, A.completionTokens], count);
  let totalTokens = r.takeFirst([A.totalTokens, ...(options.totalTokenKeys ?? [])], count);
  if (totalTokens === undefined && inputTokens !== undefined && outputTokens !== undefined)
    totalTokens = inputTokens + outputTokens;

  // Messages: current attributes, then the operation-details event, then indexed attributes, then older events,
  // then the deprecated whole-conversation attributes.
  const events = span.events.length > 0 ? readGenAiEvents(span.events) : {};
  const details = events.details ?? {};
  let finishReason = r.take(A.finishReasons, finishReader);

  let inputMessages = r.take(A.inputMessages, messagesReader("user")) ?? readMessages(details[A.inputMessages], "user");
  let outputMessages = r.take(A.outputMessages, messagesReader("assistant"));
  if (outputMessages !== undefined) finishReason ??= outputFinishReason(a[A.outputMessages]);
  else if ((outputMessages = readMessages(details[A.outputMessages], "assistant")) !== undefined) {
    finishReason ??= outputFinishReason(details[A.outputMessages]);
  }
  if (inputMessages === undefined) inputMessages = readIndexedMessages(a, A.prompt, "user", r.consumed)?.messages;
  if (outputMessages === undefined) {
    const indexed = readIndexedMessages(a, A.completion, "assistant", r.consumed);
    if (indexed) {
      outputMessages = indexed.messages;
      finishReason ??= indexed.finishReasons[0];
    }
  }
  inputMessages ??= events.input ?? r.take(A.prompt, messagesReader("user"));
  if (outputMessages === undefined) {
    outputMessages = events.output ?? r.take(A.completion, messagesReader("assistant"));
    if (events.output) finishReason ??= events.finishReason;
  }
  const system = r.take(A.systemInstructions, systemReader) ?? readSystemInstructions(details[A.systemInstructions]);
  if (system !== undefined && system.length > 0) inputMessages = [...system, ...(inputMessages ?? [])];

  const tools = r.take(A.toolDefinitions, arrayReader) ?? arrayReader(details, A.toolDefinitions);

  const parameters: Record<string, AttrValue> = {};
  for (const key in a) {
    if (key.startsWith(REQUEST_PREFIX) && !NOT_PARAMETERS.has(key) && a[key] !== null) {
      parameters[key.slice(REQUEST_PREFIX.length)] = a[key]!;
      r.consumed.add(key);
    }
  }
  for (const [key, name] of Object.entries(options.parameterKeys ?? {})) {
    const v = a[key];
    if (v !== undefined && v !== null && !(name in parameters)) {
      parameters[name] = v;
      r.consumed.add(key);
    }
  }

  let toolName = r.take(A.toolName, text);
  const toolCallId = r.take(A.toolCallId, text);
  const toolArguments = r.takeFirst([A.toolArguments, A.legacyToolInput], anyText);
  const toolResult = r.takeFirst([A.toolResult, A.legacyToolOutput], anyText);

  let agentName = r.takeFirst([A.agentName, A.handoffFrom], text);
  const handoffTo = r.take(A.handoffTo, text);
  const sessionId = r.take(A.conversationId, text);

  let kind = operationKind(op);
  if (kind === undefined && opAttr === undefined) {
    if (handoffTo !== undefined && toolName === undefined) kind = "agent";
    else if (
      toolCallId !== undefined ||
      toolArguments !== undefined ||
      toolResult !== undefined ||
      (toolName !== undefined && model === undefined)
    )
      kind = "tool";
    else if (model !== undefined || inputMessages !== undefined || outputMessages !== undefined) kind = "llm";
  }
  kind ??= "other";

  const step: NormalizedStep = { family: options.family ?? "genai", kind, name: span.name || op || "span", consumed: r.consumed };
  let runName: string | undefined;
  let input: string | undefined;
  let output: string | undefined;
  if (kind === "tool") {
    if (toolName === undefined && op === nameOp && nameOp === "execute_tool") toolName = nameTarget;
    if (toolName !== undefined) step.name = toolName;
  } else if (kind === "agent") {
    if (agentName === undefined && (nameOp === "invoke_agent" || nameOp === "create_agent")) agentName = nameTarget;
    if (op === "invoke_agent") runName = agentName;
  } else if (kind === "chain") {
    runName = r.take(A.workflowName, text) ?? (op === nameOp ? nameTarget : undefined);
  } else if (kind === "retrieval") {
    input = r.take(A.retrievalQuery, anyText);
    output = r.take(A.retrievalDocuments, anyText);
  } else if (kind === "guardrail") {
    input = r.take(A.guardrailInput, anyText);
    output = r.take(A.guardrailOutput, anyText);
  }

  return compact({
    family: step.family,
    kind: step.kind,
    name: step.name,
    consumed: step.consumed,
    provider,
    model,
    agentName,
    handoffTo,
    toolName,
    toolCallId,
    toolArguments,
    toolResult,
    inputTokens,
    outputTokens,
    totalTokens,
    inputMessages,
    outputMessages,
    tools,
    parameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    finishReason,
    input,
    output,
    sessionId,
    runName,
  });
}

/** The step without keys whose value is undefined (steps compare and serialise cleanly). */
export function compact(step: NormalizedStep): NormalizedStep {
  // Copied rather than `delete`d: deleting keys turns an object into a slow dictionary-mode one (ingest hot path).
  const out: Record<string, unknown> = {};
  for (const k in step) {
    const v = step[k as keyof NormalizedStep];
    if (v !== undefined) out[k] = v;
  }
  return out as NormalizedStep;
}

const DETECT_KEYS = [
  A.op,
  A.provider,
  A.system,
  A.requestModel,
  A.responseModel,
  A.toolName,
  A.toolCallId,
  A.inputMessages,
  A.outputMessages,
  "gen_ai.prompt.0.role",
  "gen_ai.prompt.0.content",
];

/** True when the span carries a GenAI marker attribute or a gen_ai.* event. */
export function hasGenAiMarkers(span: Span): boolean {
  const a = span.attributes;
  for (const k of DETECT_KEYS) if (k in a) return true;
  for (const ev of span.events) if (ev.name.startsWith("gen_ai.")) return true;
  return false;
}

export const genai: ConventionFamily = {
  name: "genai",
  detect: hasGenAiMarkers,
  normalize: (span) => normalizeGenAi(span, { family: "genai" }),
};
