import type { Span } from "@/lib/otlp/types";
import { normalizeGenAi } from "@/lib/conventions/genai";
import { textOf } from "@/lib/conventions/messages";
import type { NormalizedStep } from "@/lib/conventions/types";
import { str } from "@/lib/conventions/values";

/**
 * AI SDK 7's OpenTelemetry integration (`@ai-sdk/otel`, class `OpenTelemetry`): plain GenAI spans, no
 * `ai.operationId`. Shapes checked with ai@7.0.173 + @ai-sdk/otel@1.0.173 (test/producers/vercel-ai-otel.ts):
 *
 *   invoke_agent {model}        gen_ai.agent.name = functionId, input/output messages, usage summed over the steps
 *   ├─ step 1                   gen_ai.operation.name = agent_step, nothing else
 *   │  ├─ chat {model}          the decision: gen_ai.output.messages with tool_call {id, name, arguments}
 *   │  └─ execute_tool {tool}   gen_ai.tool.call.id / .arguments / .result; error status + exception on a throw
 *   └─ step 2
 *      └─ chat {model}          input ends with role "tool" tool_call_response {id, response}
 *
 * The GenAI reading is right for every span but the root, which it would misread twice: its name targets the model
 * id by default (`agentSpanName: "modelId"`), not an agent; and its output message merges the whole run (final
 * text, every tool call and result) into one assistant turn. Session ids exist only as opt-in runtime context
 * (`runtimeContext: true` + `includeRuntimeContext`) -> `ai.settings.context.{key}` on the root and step spans, or
 * whatever `enrichSpan` adds (`gen_ai.conversation.id` is read by the GenAI core).
 */

/** User-chosen keys that name a session, in AI SDK telemetry metadata (v3–v6) or runtime context (v7). */
export const SESSION_KEYS = [
  "sessionId",
  "session_id",
  "conversationId",
  "conversation_id",
  "threadId",
  "thread_id",
  "chatId",
  "chat_id",
];

const CONTEXT_PREFIX = "ai.settings.context.";
const USAGE_KEYS = ["gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"];

/**
 * An `@ai-sdk/otel` span (the caller checked `gen_ai.operation.name` is set): the scope the SDK's docs and its
 * default tracer use (`gen_ai`), its own `agent_step` operation, a root named after its request model, or one of
 * the integration's opt-in `ai.*` attributes (runtime context, usage details, provider metadata, headers).
 */
export function isAiSdkOtelSpan(span: Span, op: string): boolean {
  if (op === "agent_step" || span.scope.name === "gen_ai") return true;
  const a = span.attributes;
  if (op === "invoke_agent" && span.name === `invoke_agent ${str(a, "gen_ai.request.model")}`) return true;
  for (const key in a) if (key.startsWith("ai.")) return true;
  return false;
}

export function normalizeAiSdkOtel(span: Span): NormalizedStep {
  const a = span.attributes;
  const step = normalizeGenAi(span, { family: "vercel-ai" });
  if (step.sessionId === undefined) {
    for (const k of SESSION_KEYS) {
      const v = str(a, CONTEXT_PREFIX + k);
      if (!v) continue;
      step.sessionId = v;
      step.consumed.add(CONTEXT_PREFIX + k);
      break;
    }
  }
  if (str(a, "gen_ai.operation.name") === "invoke_agent") readRoot(span, step);
  return step;
}

function readRoot(span: Span, step: NormalizedStep): void {
  const a = span.attributes;
  // The function id, else a name target that is not the model (`agentSpanName` callbacks name agents).
  const target = /^invoke_agent (.+)$/.exec(span.name)?.[1];
  const agent = str(a, "gen_ai.agent.name") ?? (target !== str(a, "gen_ai.request.model") ? target : undefined);
  delete step.agentName;
  delete step.runName;
  if (agent) step.agentName = step.runName = step.name = agent;

  // The steps' usage summed: an attribute, as on ai.generateText roots (run totals count model calls only).
  for (const k of USAGE_KEYS) step.consumed.delete(k);
  delete step.inputTokens;
  delete step.outputTokens;
  delete step.totalTokens;

  // The final text is the agent's output; the calls and results merged into the same message are the child steps.
  const answer = (step.outputMessages ?? [])
    .filter((m) => m.role === "assistant" && m.content !== null)
    .map((m) => textOf(m.content))
    .join("");
  delete step.outputMessages;
  if (answer) step.output = answer;
}
