import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { between, estimateTokens, pause, preciseNow, responseId, toolCallId } from "@/demo/agents/sim";
import { ensureContextManager, startRunTracing, type RunTracing } from "@/demo/agents/tracing";
import type { AgentOptions, AgentRun } from "@/demo/agents/types";

/**
 * A hand-written agent loop instrumented with the raw OpenTelemetry SDK and the current GenAI semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/): `invoke_agent {agent}` -> `chat {model}` and
 * `execute_tool {tool}` children, messages as `gen_ai.input.messages` / `gen_ai.output.messages` JSON parts with
 * tool-call ids, `gen_ai.usage.*`, `gen_ai.conversation.id`. The model is scripted: each `chat` is told what the
 * model answers, and the conversation keeps the history a real loop would send next time.
 */
export type Part =
  | { type: "text"; content: string }
  | { type: "tool_call"; id: string; name: string; arguments: Record<string, unknown> }
  | { type: "tool_call_response"; id: string; response: unknown };
export type Message = { role: "user" | "assistant" | "tool"; parts: Part[] };
export type ToolCall = Extract<Part, { type: "tool_call" }>;
export type ToolDefinition = { name: string; description: string; parameters: Record<string, unknown> };
export type Model = { provider: string; request: string; response: string; temperature?: number; maxTokens?: number };
export type AgentProfile = { name: string; description: string; model: Model; system: string; tools: ToolDefinition[] };
/** What the scripted model answers: some text, some tool calls, or both. */
export type Reply = { text?: string; toolCalls?: { name: string; arguments: Record<string, unknown> }[] };
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: Error };

export type GenAiRun = { tracing: RunTracing; options: AgentOptions; scale: number };

/** `invoke_agent {name}` around `body`; the span records a thrown error and ends either way. */
export async function invokeAgent<T>(
  run: GenAiRun,
  agent: AgentProfile,
  parent: Context | undefined,
  body: (conversation: Conversation, span: Span) => Promise<T>,
): Promise<T> {
  const span = run.tracing.tracer.startSpan(
    `invoke_agent ${agent.name}`,
    {
      kind: SpanKind.INTERNAL,
      startTime: preciseNow(),
      attributes: {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": agent.name,
        "gen_ai.agent.description": agent.description,
        "gen_ai.provider.name": agent.model.provider,
        "gen_ai.request.model": agent.model.request,
        ...(run.options.sessionId ? { "gen_ai.conversation.id": run.options.sessionId } : {}),
      },
    },
    // A fresh root when there is no parent: never nest a run under whatever span the host process has active.
    parent ?? ROOT_CONTEXT,
  );
  const ctx = trace.setSpan(parent ?? ROOT_CONTEXT, span);
  try {
    return await body(new Conversation(run, agent, ctx), span);
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end(preciseNow());
  }
}

/** `handoff {to}`: control passes from one agent to another (Causeway draws the handoff edge). */
export function handoff(run: GenAiRun, parent: Context, from: string, to: string, task: string): void {
  run.tracing.tracer
    .startSpan(
      `handoff ${to}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: preciseNow(),
        attributes: {
          "gen_ai.operation.name": "handoff",
          "gen_ai.handoff.from_agent": from,
          "gen_ai.handoff.to_agent": to,
          "gen_ai.handoff.reason": task,
          ...(run.options.sessionId ? { "gen_ai.conversation.id": run.options.sessionId } : {}),
        },
      },
      parent,
    )
    .end(preciseNow());
}

/** One agent's message history and the spans of its model and tool calls. */
export class Conversation {
  readonly messages: Message[] = [];

  constructor(
    private readonly run: GenAiRun,
    readonly agent: AgentProfile,
    readonly context: Context,
  ) {}

  user(text: string): void {
    this.messages.push({ role: "user", parts: [{ type: "text", content: text }] });
  }

  /** A model call whose answer is `reply`; returns the tool calls it decided on (with fresh ids). */
  async chat(reply: Reply, latencyMs: [number, number] = [600, 1800]): Promise<ToolCall[]> {
    const { tracing, scale, options } = this.run;
    await tracing.beforeStep(this.context);
    const m = this.agent.model;
    const input = [...this.messages];
    const span = tracing.tracer.startSpan(
      `chat ${m.request}`,
      {
        kind: SpanKind.CLIENT,
        startTime: preciseNow(),
        attributes: {
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": m.provider,
          "gen_ai.request.model": m.request,
          ...(m.temperature !== undefined ? { "gen_ai.request.temperature": m.temperature } : {}),
          ...(m.maxTokens !== undefined ? { "gen_ai.request.max_tokens": m.maxTokens } : {}),
          "gen_ai.agent.name": this.agent.name,
          ...(options.sessionId ? { "gen_ai.conversation.id": options.sessionId } : {}),
          "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: this.agent.system }]),
          "gen_ai.tool.definitions": JSON.stringify(this.agent.tools.map((t) => ({ type: "function", ...t }))),
          "gen_ai.input.messages": JSON.stringify(input),
        },
      },
      this.context,
    );
    try {
      await pause(between(...latencyMs), scale, options.signal);
    } catch (error) {
      fail(span, error);
      span.end(preciseNow());
      throw error;
    }
    const calls: ToolCall[] = (reply.toolCalls ?? []).map((c) => ({ type: "tool_call", id: toolCallId(m.provider), ...c }));
    const parts: Part[] = [...(reply.text ? [{ type: "text" as const, content: reply.text }] : []), ...calls];
    const finish = calls.length > 0 ? "tool_call" : "stop";
    const promptText = this.agent.system + JSON.stringify(this.agent.tools) + JSON.stringify(input);
    span.setAttributes({
      "gen_ai.response.model": m.response,
      "gen_ai.response.id": responseId(m.provider),
      "gen_ai.response.finish_reasons": [finish],
      "gen_ai.usage.input_tokens": estimateTokens(promptText, input.length + 1),
      "gen_ai.usage.output_tokens": estimateTokens(JSON.stringify(parts)),
      "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts, finish_reason: finish }]),
    });
    span.end(preciseNow());
    this.messages.push({ role: "assistant", parts });
    return calls;
  }

  /**
   * Runs a tool the model asked for under `execute_tool {name}`. A failing tool is an error span and an error result
   * the model sees next (as real loops do); an abort or a stop from the hooks ends the run instead.
   */
  async tool(
    call: ToolCall,
    execute: (args: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>,
    latencyMs: [number, number] = [150, 700],
  ): Promise<ToolOutcome> {
    const { tracing, scale, options } = this.run;
    await tracing.beforeStep(this.context);
    const description = this.agent.tools.find((t) => t.name === call.name)?.description;
    const span = tracing.tracer.startSpan(
      `execute_tool ${call.name}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: preciseNow(),
        attributes: {
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": call.name,
          "gen_ai.tool.type": "function",
          ...(description ? { "gen_ai.tool.description": description } : {}),
          "gen_ai.tool.call.id": call.id,
          "gen_ai.agent.name": this.agent.name,
          "gen_ai.tool.call.arguments": JSON.stringify(call.arguments),
        },
      },
      this.context,
    );
    let outcome: ToolOutcome;
    try {
      await pause(between(...latencyMs), scale, options.signal);
      const result = await execute(call.arguments, options.signal);
      span.setAttribute("gen_ai.tool.call.result", JSON.stringify(result));
      outcome = { ok: true, result };
    } catch (error) {
      fail(span, error);
      if (options.signal?.aborted) throw error;
      outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
    } finally {
      span.end(preciseNow());
    }
    const response = outcome.ok ? outcome.result : { error: outcome.error.message };
    this.messages.push({ role: "tool", parts: [{ type: "tool_call_response", id: call.id, response }] });
    return outcome;
  }

  /** Answers a tool call without running a tool span (a handoff's result comes back this way). */
  respond(call: ToolCall, response: unknown): void {
    this.messages.push({ role: "tool", parts: [{ type: "tool_call_response", id: call.id, response }] });
  }
}

/** Records an error on a span: the exception event, `error.type` and an ERROR status. */
export function fail(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setAttribute("error.type", e.name === "Error" ? e.constructor.name : e.name);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/**
 * A whole run of a hand-written agent: its own tracing, the root `invoke_agent` span around `body`, and a flush at
 * the end whatever happens (an aborted run's spans still reach the collector).
 */
export async function runGenAiAgent(
  options: AgentOptions,
  service: { name: string; version: string; protocol: "json" | "protobuf" },
  agent: AgentProfile,
  body: (conversation: Conversation, run: GenAiRun, root: Span) => Promise<string>,
): Promise<AgentRun> {
  // Not for the spans (parents are passed explicitly) but for hooks: a control client finds the step's span active.
  ensureContextManager();
  const tracing = startRunTracing({
    ...options,
    serviceName: service.name,
    serviceVersion: service.version,
    protocol: service.protocol,
  });
  const run: GenAiRun = { tracing, options, scale: options.timeScale ?? 1 };
  let output: string;
  try {
    output = await invokeAgent(run, agent, undefined, (conversation, root) => body(conversation, run, root));
  } catch (error) {
    await tracing.finish();
    throw error;
  }
  const spans = await tracing.finish();
  return { runId: tracing.runId()!, sessionId: options.sessionId ?? null, output, spans };
}
