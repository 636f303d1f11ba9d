import type { Attributes, AttrValue, Span } from "@/lib/otlp/types";
import { normalizeGenAi } from "@/lib/conventions/genai";
import { firstFinishReason, readMessages, readToolCall } from "@/lib/conventions/messages";
import type { ChatMessage, ConventionFamily, NormalizedStep, StepKind, ToolCall } from "@/lib/conventions/types";
import { count, normalizeFinishReason, str, structured } from "@/lib/conventions/values";
import { isAiSdkOtelSpan, normalizeAiSdkOtel, SESSION_KEYS } from "@/lib/conventions/vercel-ai-otel";

/**
 * Vercel AI SDK telemetry with `ai.*` attributes: v3–v6, and v7's LegacyOpenTelemetry.
 * Keys checked against node_modules/ai-v5 (ai@5) and node_modules/ai (ai@6) and their
 * real spans (see vercel-ai.sdk.test.ts). v7's default OpenTelemetry integration
 * (@ai-sdk/otel) emits GenAI spans — `invoke_agent`, `step N` (`agent_step`), `chat`,
 * `execute_tool` — with no `ai.operationId`: claimed here when they carry its marks, and read
 * by vercel-ai-otel.ts on top of the GenAI core.
 *
 * Shape (generateText with a tool, v5/v6): ai.generateText (root) -> children in time order
 * ai.generateText.doGenerate, ai.toolCall, ai.generateText.doGenerate… The tool span is a
 * sibling of the model call that decided it, not its child.
 *
 * Traceloop's span processor rewrites these spans before export (renamed `chat {model}`,
 * `execute_tool {tool}`, `{agent}.agent`; content moved to gen_ai.* / traceloop.*) but keeps
 * `ai.operationId`: the GenAI reading is therefore the base, and `ai.*` keys win where present.
 */

/** The operation that owns the tool loop: v7 itself maps these to `invoke_agent`. */
const ROOT_OPERATIONS = new Set(["ai.generateText", "ai.streamText", "ai.generateObject", "ai.streamObject"]);
const RETRIEVAL_OPERATIONS = new Set(["ai.embed", "ai.embedMany", "ai.rerank"]);
const OPERATION_NAME = /^ai\.[A-Za-z]+(\.[A-Za-z]+)?$/;

/** gen_ai.request.* duplicates of ai.settings.*, under the AI SDK's own names. */
const GEN_AI_PARAMS: Record<string, string> = {
  "gen_ai.request.temperature": "temperature",
  "gen_ai.request.max_tokens": "maxOutputTokens",
  "gen_ai.request.top_p": "topP",
  "gen_ai.request.top_k": "topK",
  "gen_ai.request.frequency_penalty": "frequencyPenalty",
  "gen_ai.request.presence_penalty": "presencePenalty",
  "gen_ai.request.stop_sequences": "stopSequences",
  "gen_ai.request.seed": "seed",
};

export const vercelAi: ConventionFamily = {
  name: "vercel-ai",
  detect(span) {
    const a = span.attributes;
    if (a["ai.operationId"] !== undefined) return true;
    // v7's @ai-sdk/otel spans (and other GenAI producers) name an operation without ai.operationId.
    const op = str(a, "gen_ai.operation.name");
    if (op !== undefined) return isAiSdkOtelSpan(span, op);
    return (span.scope.name === "ai" && span.name.startsWith("ai.")) || OPERATION_NAME.test(span.name);
  },
  normalize: (span) =>
    span.attributes["ai.operationId"] === undefined && str(span.attributes, "gen_ai.operation.name") !== undefined
      ? normalizeAiSdkOtel(span)
      : normalize(span),
};

function operationOf(span: Span): string {
  return str(span.attributes, "ai.operationId") ?? span.name.split(" ")[0]!;
}

function kindOf(op: string): StepKind {
  if (ROOT_OPERATIONS.has(op)) return "agent";
  if (op.endsWith(".doGenerate") || op.endsWith(".doStream")) return "llm";
  if (op === "ai.toolCall") return "tool";
  if (RETRIEVAL_OPERATIONS.has(op) || op.endsWith(".doEmbed") || op.endsWith(".doRerank")) return "retrieval";
  return "other";
}

function normalize(span: Span): NormalizedStep {
  const a = span.attributes;
  const op = operationOf(span);
  const kind = kindOf(op);
  // The GenAI reading is the base: AI SDK v6 writes gen_ai.* duplicates, and Traceloop's span processor moves
  // ai.prompt.messages, ai.response.*, ai.toolCall.*, ai.telemetry.metadata.* into gen_ai.* (keeping
  // ai.operationId). The ai.* attributes, where present, take precedence; the operation decides the kind.
  const base = normalizeGenAi(span, { family: "vercel-ai" });
  const consumed = base.consumed;
  const step: NormalizedStep = { ...base, kind };
  const take = (key: string): string | undefined => {
    const v = str(a, key);
    if (v !== undefined) consumed.add(key);
    return v;
  };
  /** Consume `keys` whose value repeats `value` (the SDK writes the same fact under several names). */
  const takeDuplicates = (keys: string[], value: string | number | undefined) => {
    if (value === undefined) return;
    for (const k of keys) if (a[k] !== undefined && str(a, k) === String(value)) consumed.add(k);
  };

  if (a["ai.operationId"] !== undefined) consumed.add("ai.operationId");
  const functionId = take("ai.telemetry.functionId");
  if (functionId) takeDuplicates(["resource.name"], functionId);
  // An explicit agent name (gen_ai.agent.name, metadata.agent as Traceloop reads it) before the function id.
  const agentName = step.agentName ?? take("ai.telemetry.metadata.agent") ?? functionId;
  if (agentName) step.agentName = agentName;
  // operation.name is "{operationId} {functionId}": fully derived.
  if (str(a, "operation.name") === (functionId ? `${op} ${functionId}` : op)) consumed.add("operation.name");
  for (const k of SESSION_KEYS) {
    const v = take(`ai.telemetry.metadata.${k}`);
    if (v) {
      step.sessionId = v;
      break;
    }
  }

  if (kind === "agent") {
    const runName = functionId ?? step.agentName;
    if (runName) step.runName = step.name = runName;
    const input = take("ai.prompt");
    if (input !== undefined) step.input = input;
    const output = take("ai.response.text") ?? take("ai.response.object") ?? take("ai.result.text") ?? take("ai.result.object");
    if (output !== undefined) step.output = output;
    const finish = normalizeFinishReason(take("ai.response.finishReason") ?? take("ai.finishReason"));
    if (finish) step.finishReason = finish;
    // Root usage stays an attribute: v5 reports the last step's usage there, v6 the sum of all steps.
  } else if (kind === "llm") {
    readModel(a, step, takeDuplicates);
    readLlmCall(a, step, take, takeDuplicates);
    if (step.model) step.name = `chat ${step.model}`;
  } else if (kind === "tool") {
    const name = take("ai.toolCall.name");
    if (name) step.toolName = name;
    if (step.toolName) step.name = step.toolName;
    const id = take("ai.toolCall.id");
    if (id) step.toolCallId = id;
    const args = take("ai.toolCall.args") ?? take("ai.toolCall.input");
    if (args !== undefined) step.toolArguments = args;
    const result = take("ai.toolCall.result") ?? take("ai.toolCall.output");
    if (result !== undefined) step.toolResult = result;
    // Traceloop copies both into its entity attributes.
    takeDuplicates(["traceloop.entity.input"], step.toolArguments);
    takeDuplicates(["traceloop.entity.output"], step.toolResult);
  } else if (kind === "retrieval") {
    readModel(a, step, takeDuplicates);
    const tokens = count(a, "ai.usage.tokens");
    if (tokens !== undefined) {
      step.inputTokens = tokens;
      consumed.add("ai.usage.tokens");
    }
    const input = take("ai.value") ?? take("ai.values") ?? take("ai.documents");
    if (input !== undefined) step.input = input;
  }
  return step;
}

type TakeDuplicates = (keys: string[], value: string | number | undefined) => void;

function readModel(a: Attributes, step: NormalizedStep, takeDuplicates: TakeDuplicates): void {
  // What actually answered first (providers resolve aliases), then what was asked for.
  const model =
    str(a, "ai.response.model") ?? str(a, "ai.model.id") ?? str(a, "gen_ai.response.model") ?? str(a, "gen_ai.request.model");
  if (model) {
    step.model = model;
    takeDuplicates(["ai.response.model", "ai.model.id", "gen_ai.response.model", "gen_ai.request.model"], model);
  }
  // "openai.chat", "anthropic.messages", "google.generative-ai": the provider is the first segment.
  const raw = str(a, "ai.model.provider") ?? str(a, "gen_ai.system");
  if (raw) {
    step.provider = raw.split(".")[0]!;
    takeDuplicates(["ai.model.provider", "gen_ai.system"], raw);
  }
}

function readLlmCall(
  a: Attributes,
  step: NormalizedStep,
  take: (k: string) => string | undefined,
  takeDuplicates: TakeDuplicates,
): void {
  const tokens: [keyof NormalizedStep & ("inputTokens" | "outputTokens" | "totalTokens"), string[]][] = [
    ["inputTokens", ["ai.usage.inputTokens", "ai.usage.promptTokens", "gen_ai.usage.input_tokens"]],
    ["outputTokens", ["ai.usage.outputTokens", "ai.usage.completionTokens", "gen_ai.usage.output_tokens"]],
    ["totalTokens", ["ai.usage.totalTokens"]],
  ];
  for (const [field, keys] of tokens) {
    for (const k of keys) {
      const n = count(a, k);
      if (n === undefined) continue;
      step[field] = n;
      takeDuplicates(keys, n);
      break;
    }
  }

  // The provider-level prompt: system text, then user/assistant/tool messages whose parts are text, file,
  // reasoning, tool-call {toolCallId, toolName, input (v5+) | args (v4)} and tool-result {toolCallId, toolName,
  // output {type, value} (v5+) | result (v4)}. Shared parsing splits each tool result into its own message.
  const prompt = readMessages(a["ai.prompt.messages"], "user");
  if (prompt?.length) {
    step.inputMessages = prompt;
    step.consumed.add("ai.prompt.messages");
  }

  const text = take("ai.response.text") ?? take("ai.response.object") ?? take("ai.result.text") ?? take("ai.result.object");
  const calls =
    readToolCalls(a, "ai.response.toolCalls", step.consumed) ?? readToolCalls(a, "ai.result.toolCalls", step.consumed);
  if (text !== undefined || calls) {
    // Streaming writes "" as the text of a step that only called tools.
    const out: ChatMessage = { role: "assistant", content: text === "" && calls?.length ? null : (text ?? null) };
    if (calls?.length) out.toolCalls = calls;
    step.outputMessages = [out];
  }

  const tools = readTools(a);
  if (tools) {
    step.tools = tools;
    step.consumed.add("ai.prompt.tools");
  }

  const params: Record<string, AttrValue> = {};
  for (const key in a) {
    if (!key.startsWith("ai.settings.")) continue;
    params[key.slice("ai.settings.".length)] = a[key]!;
    step.consumed.add(key);
  }
  for (const key in GEN_AI_PARAMS) {
    if (a[key] === undefined) continue;
    params[GEN_AI_PARAMS[key]!] ??= a[key]!;
    step.consumed.add(key);
  }
  // The AI SDK's own names win over the GenAI reading's copy of gen_ai.request.* (same values).
  if (Object.keys(params).length) step.parameters = params;

  // gen_ai.response.finish_reasons repeats ai.response.finishReason as a one-element list.
  const finish = normalizeFinishReason(take("ai.response.finishReason") ?? take("ai.finishReason"));
  const listed = firstFinishReason(a["gen_ai.response.finish_reasons"]);
  if (finish ?? listed) step.finishReason = finish ?? listed;
  if (listed !== undefined && (finish === undefined || listed === finish)) step.consumed.add("gen_ai.response.finish_reasons");
}

/** `[{toolCallId, toolName, input}]` (v5+) or `[{toolCallType, toolCallId, toolName, args}]` (v4), as JSON text. */
function readToolCalls(a: Attributes, key: string, consumed: Set<string>): ToolCall[] | undefined {
  const v = structured(a, key);
  if (!Array.isArray(v)) return undefined;
  consumed.add(key);
  return v.map(readToolCall).filter((c): c is ToolCall => c !== undefined);
}

/** `ai.prompt.tools`: an array of JSON strings (one per tool), or one JSON array. */
function readTools(a: Attributes): AttrValue[] | undefined {
  const v = a["ai.prompt.tools"];
  const list = Array.isArray(v) ? v : structured(a, "ai.prompt.tools");
  if (!Array.isArray(list)) return undefined;
  return list.map((t) => (typeof t === "string" ? (structured({ t }, "t") ?? t) : t));
}
