import type { Attributes, AttrValue, Span } from "@/lib/otlp/types";

/**
 * What the convention families turn a span into. One family module per convention
 * (genai, openinference, openllmetry, vercel-ai, mastra, adk, mcp); spans that match
 * none become `generic` steps that keep all their attributes.
 */
export type StepKind = "llm" | "tool" | "agent" | "retrieval" | "guardrail" | "chain" | "other";

/** A chat message as the model saw or produced it, in one canonical shape across conventions. */
export type ChatMessage = {
  /** system | user | assistant | tool (| developer, …: lower-case as sent). */
  role: string;
  /** Text, or structured parts when the convention carries them (images, files…). */
  content: string | AttrValue[] | null;
  /** Assistant decisions: the tool calls this message asked for. */
  toolCalls?: ToolCall[];
  /** Tool messages: the id of the call this message answers. */
  toolCallId?: string;
  /** Tool name for tool messages, speaker name otherwise, when given. */
  name?: string;
};

export type ToolCall = { id: string | null; name: string; arguments: string };

export type NormalizedStep = {
  /** Which family recognised the span ("generic" when none did). */
  family: string;
  kind: StepKind;
  /** A readable name: the span name unless the family knows better ("chat gpt-4o", "search_web"). */
  name: string;

  provider?: string;
  model?: string;
  /** Agent this step belongs to / invokes (agent steps, handoffs). */
  agentName?: string;
  /** Handoff target agent, when the span is a handoff. */
  handoffTo?: string;

  toolName?: string;
  toolCallId?: string;
  /** Tool arguments and result, as sent (JSON text usually). */
  toolArguments?: string;
  toolResult?: string;

  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;

  /** LLM steps: the context the model saw, in order (system instructions first). */
  inputMessages?: ChatMessage[];
  /** LLM steps: what the model produced (including its tool-call decisions). */
  outputMessages?: ChatMessage[];
  /** Tool definitions offered to the model (raw JSON values). */
  tools?: AttrValue[];
  /** Model parameters: temperature, max_tokens… */
  parameters?: Record<string, AttrValue>;
  finishReason?: string;

  /** Raw input/output of non-LLM steps (chains, agents, retrievals), as text. */
  input?: string;
  output?: string;

  /** Conversation / session id, when the span carries one. */
  sessionId?: string;
  /** A run name the span suggests for its trace (root/agent/workflow spans). */
  runName?: string;

  /** Attributes the family consumed into the fields above; they are not repeated in `attributes`. */
  consumed: Set<string>;
};

export type ConventionFamily = {
  name: string;
  /** Cheap test on scope name and marker attributes. */
  detect(span: Span): boolean;
  normalize(span: Span): NormalizedStep;
};

/** Remaining attributes after a family consumed what it understood. */
export function remainingAttributes(attributes: Attributes, consumed: Set<string>): Attributes {
  const out: Attributes = {};
  for (const key in attributes) if (!consumed.has(key)) out[key] = attributes[key]!;
  return out;
}
