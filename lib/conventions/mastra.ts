import type { Attributes, Span } from "@/lib/otlp/types";
import { normalizeGenAi } from "@/lib/conventions/genai";
import { isObject, parseJsonText, readToolCall } from "@/lib/conventions/messages";
import type { ChatMessage, ConventionFamily, NormalizedStep, StepKind, ToolCall } from "@/lib/conventions/types";
import { str } from "@/lib/conventions/values";

/**
 * Mastra, through its OTel exporter (@mastra/otel-exporter, scope "@mastra/otel"): every span carries
 * `mastra.span.type` plus GenAI attributes, so the GenAI reading is the base and Mastra's type refines it.
 * Mastra is not installed here; keys follow the exporter's span converters (older: input/output, agent.id,
 * gen_ai.prompt/completion, gen_ai.tool.input/output; newer: gen_ai.input/output.messages,
 * gen_ai.tool.call.*, `mastra.{type}.input|output`) and are read liberally.
 *
 * Shape: agent_run -> model_generation -> model_step ("step: N") -> model_inference, model_chunk…, tool_call.
 * The exporter puts model, usage and messages on model_generation only, so that is the llm step (it spans
 * all steps of the loop). model_step / model_inference are chain steps; a model_step's output carries that
 * step's tool-call decisions ({text, toolCalls: [{toolCallId, toolName, args}]}), which become its
 * outputMessages so the graph can link them to the tool_call spans below it by id.
 */

const TYPE = "mastra.span.type";

const KINDS: Record<string, StepKind> = {
  agent_run: "agent",
  model_generation: "llm",
  llm_generation: "llm",
  model_step: "chain",
  model_inference: "chain",
  model_chunk: "other",
  llm_chunk: "other",
  tool_call: "tool",
  mcp_tool_call: "tool",
  client_tool_call: "tool",
  provider_tool_call: "tool",
  workflow_run: "chain",
  workflow_step: "chain",
  workflow_conditional: "chain",
  workflow_conditional_eval: "chain",
  workflow_parallel: "chain",
  workflow_loop: "chain",
  workflow_sleep: "chain",
  workflow_wait_event: "chain",
  processor_run: "chain",
  graph_action: "chain",
  rag_ingestion: "chain",
  rag_embedding: "retrieval",
  rag_vector_operation: "retrieval",
  rag_action: "retrieval",
  memory_operation: "retrieval",
  scorer_run: "other",
  generic: "other",
};

/** Where Mastra exporters have put the conversation/thread id. */
const SESSION_KEYS = [
  "threadId",
  "thread_id",
  "sessionId",
  "session_id",
  "mastra.metadata.threadId",
  "mastra.metadata.sessionId",
  "mastra.thread_id",
];

export const mastra: ConventionFamily = {
  name: "mastra",
  detect(span) {
    const s = span.scope.name;
    return span.attributes[TYPE] !== undefined || s === "mastra" || s.startsWith("@mastra/");
  },
  normalize,
};

function normalize(span: Span): NormalizedStep {
  const a = span.attributes;
  const step = normalizeGenAi(span, { family: "mastra" });
  const consumed = step.consumed;
  const take = (key: string): string | undefined => {
    const v = str(a, key);
    if (v !== undefined) consumed.add(key);
    return v;
  };

  const type = str(a, TYPE)?.trim().toLowerCase();
  if (type !== undefined) consumed.add(TYPE);
  const kind = (type ? KINDS[type] : undefined) ?? step.kind;
  step.kind = kind;

  // Raw input/output: `mastra.{type}.input|output` (current exporter), `input` / `output` (older).
  const input = (type ? take(`mastra.${type}.input`) : undefined) ?? take("input");
  const output = (type ? take(`mastra.${type}.output`) : undefined) ?? take("output");

  if (kind === "agent") {
    if (step.agentName === undefined)
      set(step, "agentName", take("gen_ai.agent.id") ?? take("agent.id") ?? agentFromName(span.name));
    if (step.agentName && (span.parentSpanId === null || step.runName !== undefined)) step.runName = step.agentName;
    set(step, "input", input);
    set(step, "output", output);
  } else if (kind === "tool") {
    set(step, "toolName", span.name.startsWith("tool.execute ") ? span.name.slice("tool.execute ".length) : undefined);
    if (step.toolName) step.name = step.toolName;
    set(step, "toolArguments", input);
    set(step, "toolResult", output);
    // The call id sometimes only travels inside the arguments ({toolCallId, toolName, args}).
    const args = parseJsonText(step.toolArguments);
    if (step.toolCallId === undefined && isObject(args) && typeof args.toolCallId === "string") step.toolCallId = args.toolCallId;
  } else if (kind === "chain" || kind === "retrieval" || kind === "other") {
    set(step, "input", input);
    set(step, "output", output);
    if (type === "workflow_run") {
      const workflow = take("workflow.id") ?? workflowFromName(span.name);
      if (workflow) step.runName = workflow;
    }
    if (type === "model_step" || type === "model_inference") {
      const decision = stepDecision(output);
      if (decision) step.outputMessages = [decision];
    }
  } else if (kind === "llm" && step.inputMessages === undefined) {
    set(step, "input", input);
  }

  if (step.sessionId === undefined) set(step, "sessionId", sessionOf(a, consumed));
  return step;
}

/** Fills a field the GenAI reading left empty; never writes an undefined key (steps compare cleanly). */
function set<K extends "agentName" | "toolName" | "toolArguments" | "toolResult" | "input" | "output" | "sessionId">(
  step: NormalizedStep,
  key: K,
  value: string | undefined,
): void {
  if (value !== undefined && step[key] === undefined) step[key] = value;
}

/** `{text, toolCalls: [{toolCallId, toolName, args}]}`: the step's answer and its tool-call decisions. */
function stepDecision(output: string | undefined): ChatMessage | undefined {
  const v = parseJsonText(output);
  if (!isObject(v)) return undefined;
  const calls = Array.isArray(v.toolCalls) ? v.toolCalls.map(readToolCall).filter((c): c is ToolCall => c !== undefined) : [];
  const text = typeof v.text === "string" && v.text !== "" ? v.text : null;
  if (!calls.length && text === null) return undefined;
  const msg: ChatMessage = { role: "assistant", content: text };
  if (calls.length) msg.toolCalls = calls;
  return msg;
}

function sessionOf(a: Attributes, consumed: Set<string>): string | undefined {
  for (const k of SESSION_KEYS) {
    const v = str(a, k);
    if (v) {
      consumed.add(k);
      return v;
    }
  }
  return undefined;
}

/** Span names: `invoke_agent {name}` (current), `agent.{id}` (older exporter). */
function agentFromName(name: string): string | undefined {
  if (name.startsWith("invoke_agent ")) return name.slice("invoke_agent ".length) || undefined;
  if (name.startsWith("agent.")) return name.slice("agent.".length) || undefined;
  return undefined;
}

function workflowFromName(name: string): string | undefined {
  if (name.startsWith("invoke_workflow ")) return name.slice("invoke_workflow ".length) || undefined;
  if (name.startsWith("workflow.")) return name.slice("workflow.".length) || undefined;
  return undefined;
}
