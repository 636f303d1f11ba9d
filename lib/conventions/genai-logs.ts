import type { Attributes, LogRecord } from "@/lib/otlp/types";
import { isGenAiMessageEvent, readGenAiEvent, type GenAiEventPart } from "@/lib/conventions/genai";
import { isObject } from "@/lib/conventions/messages";

/**
 * GenAI events sent as OTLP log records instead of span events
 * (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-events/):
 * - older form (semconv ≤ 1.36): one record per message, `gen_ai.system|user|assistant|tool.message` with the
 *   message as the body (`{content, tool_calls: [{id, type, function: {name, arguments}}]}`, `{id, content}` for
 *   tool messages) and `gen_ai.choice` with `{index, finish_reason, message}`;
 * - current form: one `gen_ai.client.inference.operation.details` record with `gen_ai.input.messages`,
 *   `gen_ai.output.messages`, `gen_ai.system_instructions` (structured) as attributes.
 * The event name is the record's `event_name` (OTLP field 12) or, from older SDKs, its `event.name` attribute.
 * Each record is read exactly as the same event on the span would be (`readGenAiEvent`); the records of one
 * model call then merge with the precedence `normalizeGenAi` gives span events (`mergeGenAiEventParts`).
 */

export type GenAiLogEvent = {
  name: string;
  traceId: string;
  spanId: string;
  timeNs: bigint;
  part: GenAiEventPart;
};

/**
 * A GenAI event, an error saying why a GenAI event record cannot be used, or null for a record that carries no
 * messages (any other log, or an operation-details event recorded without content).
 */
export type GenAiLogResult = { event: GenAiLogEvent } | { error: string } | null;

export function eventNameOf(record: LogRecord): string {
  if (record.eventName) return record.eventName;
  const attr = record.attributes["event.name"];
  return typeof attr === "string" ? attr : "";
}

export function readGenAiLogRecord(record: LogRecord): GenAiLogResult {
  const name = eventNameOf(record);
  if (!isGenAiMessageEvent(name)) return null;
  if (!record.traceId || !record.spanId)
    return { error: `${name}: no trace_id/span_id, so no model call to attach the event to` };
  const body = record.body;
  const details = name === "gen_ai.client.inference.operation.details";
  if (!details && body !== null && typeof body !== "string" && !isObject(body))
    return { error: `${name}: the body must be a map (the message) or a string` };

  // The event as it would sit on the span: the body where span events carry it, the record's attributes beside it.
  // A details record carries its messages as attributes; a map body is read too (attributes win).
  const attributes: Attributes = { ...record.attributes };
  if (details) {
    if (isObject(body)) for (const k in body) if (!(k in attributes)) attributes[k] = body[k]!;
  } else if (body !== null) attributes.body = body;
  const part = readGenAiEvent({ name, timeNs: record.timeNs, attributes })!;
  if (part.kind === "details") {
    if (part.unreadable.length) return { error: `${name}: ${part.unreadable.join(", ")} could not be read as messages` };
    // Content capture off: the event has metadata only (model, tokens), which the span carries anyway.
    if (!part.system && !part.input && !part.output) return null;
  }
  return { event: { name, traceId: record.traceId, spanId: record.spanId, timeNs: record.timeNs, part } };
}

/**
 * One stored event of a model call, in the order it was sent (`timeNs`, then `seq`), with its messages in any
 * representation `M` (stored message references, in the collector).
 */
export type OrderedPart<M, T = unknown> = {
  kind: GenAiEventPart["kind"];
  timeNs: bigint;
  seq: bigint;
  choiceIndex: number | null;
  system: M[] | null;
  input: M[] | null;
  output: M[] | null;
  finishReason: string | null;
  tools: T | null;
};

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export type MergedParts<M, T> = { input?: M[]; output?: M[]; finishReason?: string; tools?: T };

/**
 * A model call's messages from all its events, as `normalizeGenAi` reads the same events on a span:
 * an operation-details event's messages win over per-message events (the first details event that has them);
 * per-message events form the input in order; choices form the output by `index` (events without one count in
 * arrival order); system instructions come first; the finish reason is the details event's or the first choice's.
 */
export function mergeGenAiEventParts<M, T>(parts: readonly OrderedPart<M, T>[]): MergedParts<M, T> {
  const sorted = [...parts].sort((a, b) => cmp(a.timeNs, b.timeNs) || cmp(a.seq, b.seq));
  const details = sorted.filter((p) => p.kind === "details");
  const out: MergedParts<M, T> = {};

  const detailsInput = details.find((p) => p.input !== null)?.input ?? undefined;
  const messages = sorted.filter((p) => p.kind === "message");
  let input = detailsInput ?? (messages.length ? messages.flatMap((p) => p.input ?? []) : undefined);
  const system = details.find((p) => p.system !== null)?.system;
  if (system?.length) input = [...system, ...(input ?? [])];
  if (input) out.input = input;

  const detailsOutput = details.find((p) => p.output !== null);
  if (detailsOutput) {
    out.output = detailsOutput.output!;
    if (detailsOutput.finishReason) out.finishReason = detailsOutput.finishReason;
  } else {
    const choices = sorted
      .filter((p) => p.kind === "choice")
      .map((p, order) => ({ p, index: p.choiceIndex ?? order, order }))
      .sort((a, b) => a.index - b.index || a.order - b.order);
    if (choices.length) out.output = choices.flatMap((c) => c.p.output ?? []);
    const reason = sorted.find((p) => p.kind === "choice" && p.finishReason)?.finishReason;
    if (reason) out.finishReason = reason;
  }
  if (!out.finishReason) {
    const reason = details.find((p) => p.finishReason)?.finishReason;
    if (reason) out.finishReason = reason;
  }
  const tools = details.find((p) => p.tools !== null)?.tools;
  if (tools !== undefined && tools !== null) out.tools = tools;
  return out;
}
