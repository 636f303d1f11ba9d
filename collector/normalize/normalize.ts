import type { ChatMessage, NormalizedStep } from "@/lib/conventions/types";
import { remainingAttributes } from "@/lib/conventions/types";
import { normalizeSpan } from "@/lib/conventions";
import { createCleaner, messageHash, type Cleaner } from "@/lib/ingest/clean";
import type { Redactor } from "@/lib/ingest/redact";
import type { Span } from "@/lib/otlp/types";
import { agentKey, type AgentRow, type IngestBatch, type StepRow } from "@/collector/normalize/batch";
import { stepFacts, type StoredMessage } from "@/collector/normalize/facts";
import { messageMemoKey, type MessageMemo } from "@/collector/normalize/message-memo";

/**
 * Normalize stage: decoded spans -> rows. Each span goes through its convention
 * family (lib/conventions), then everything is cleaned (redaction, caps) before it
 * becomes a row, so nothing unredacted can reach the store.
 */
export type NormalizeOptions = {
  redact: Redactor;
  maxValueBytes: number;
  /** Messages already stored by this configuration, found by content (collector/normalize/message-memo.ts). */
  memo?: MessageMemo;
};

const STATUS = ["unset", "ok", "error"] as const;
const I64_MAX = (1n << 63n) - 1n;
const INT32_MAX = 2_147_483_647;

export function normalizeBatch(projectId: string, spans: Span[], opts: NormalizeOptions): IngestBatch {
  const batch: IngestBatch = { projectId, steps: [], messages: new Map(), agents: new Map(), logEvents: [] };
  normalizeInto(batch, spans, opts);
  return batch;
}

/** Adds the spans' rows to a batch (a large request is normalized a slice at a time: collector/pipeline.ts). */
export function normalizeInto(batch: IngestBatch, spans: readonly Span[], opts: NormalizeOptions): void {
  for (const span of spans) batch.steps.push(toStepRow(span, batch, opts));
}

function toStepRow(span: Span, batch: IngestBatch, opts: NormalizeOptions): StepRow {
  const n = normalizeSpan(span);
  const clean = createCleaner(opts.redact, opts.maxValueBytes);
  const agent = agentOf(span, batch, clean);

  const context = (n.inputMessages ?? []).map((m, i) => storeMessage(m, `input_messages[${i}]`, batch, clean, opts.memo));
  const produced = (n.outputMessages ?? []).map((m, i) => storeMessage(m, `output_messages[${i}]`, batch, clean, opts.memo));
  const input = bodyOf(n, "input", clean);
  const output = bodyOf(n, "output", clean);

  const remaining = remainingAttributes(span.attributes, n.consumed);
  const omitted = omitRawConversation(n, remaining);
  const attributes = clean.value(remaining, "attributes") as Record<string, unknown>;
  if (omitted.length) attributes["causeway.omitted"] = omitted;
  if (n.tools?.length) attributes["causeway.tools"] = clean.value(n.tools, "tools");
  if (n.parameters) attributes["causeway.parameters"] = clean.value(n.parameters, "parameters");
  if (n.finishReason) attributes["causeway.finish_reason"] = clean.text(n.finishReason, "finish_reason");
  const handoffTo = (n.handoffTo && clean.text(n.handoffTo, "handoff_to")) || null;
  if (handoffTo) attributes["causeway.handoff_to"] = handoffTo;
  const events = span.events.map((e, i) => ({
    name: clean.text(e.name, `events[${i}].name`),
    timeNs: e.timeNs.toString(),
    attributes: clean.value(e.attributes, `events[${i}]`),
  }));
  const links = span.links.map((l, i) => ({
    traceId: l.traceId,
    spanId: l.spanId,
    attributes: clean.value(l.attributes, `links[${i}]`),
  }));
  // Recorded last so it lists every cut, including those in messages and bodies.
  if (clean.truncated.length) attributes["causeway.truncated"] = clean.truncated;

  // Named fields, not a spread: spreading into this literal made building a step several times slower.
  const facts = stepFacts(context, produced);
  const totalTokens =
    n.totalTokens ??
    (n.inputTokens !== undefined || n.outputTokens !== undefined ? (n.inputTokens ?? 0) + (n.outputTokens ?? 0) : undefined);
  return {
    runId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    kind: n.kind,
    name: clean.text(n.name || span.name || "(unnamed)", "name"),
    family: n.family,
    spanKind: span.kind >= 0 && span.kind <= 5 ? span.kind : 0,
    status: STATUS[span.status.code] ?? "unset",
    statusMessage: span.status.message ? clean.text(span.status.message, "status.message") : null,
    // OTLP times are unsigned 64-bit; the columns are signed: clamp absurd values rather than fail the request.
    startNs: span.startNs > I64_MAX ? I64_MAX : span.startNs,
    endNs: span.endNs !== null && span.endNs > I64_MAX ? I64_MAX : span.endNs,
    agentName: opt(n.agentName, clean, "agent_name"),
    provider: opt(n.provider, clean, "provider"),
    model: opt(n.model, clean, "model"),
    toolName: opt(n.toolName, clean, "tool_name"),
    toolCallId: opt(n.toolCallId, clean, "tool_call_id"),
    inputTokens: n.inputTokens ?? null,
    outputTokens: n.outputTokens ?? null,
    totalTokens: totalTokens !== undefined && totalTokens <= INT32_MAX ? totalTokens : null,
    contextHashes: context.map((m) => m.hash),
    contextBytes: context.reduce((sum, m) => sum + m.bytes, 0),
    outputHashes: produced.map((m) => m.hash),
    callIds: facts.callIds,
    callNames: facts.callNames,
    toolResultIds: facts.toolResultIds,
    handoffTo,
    attributes: JSON.stringify(attributes),
    events: JSON.stringify(events),
    links: JSON.stringify(links),
    scopeName: clean.text(span.scope.name, "scope.name"),
    input: input?.text ?? null,
    output: output?.text ?? null,
    inputFullBytes: input?.fullBytes ?? null,
    outputFullBytes: output?.fullBytes ?? null,
    agentKey: agent,
    sessionId: opt(n.sessionId, clean, "session_id"),
    runName: opt(n.runName, clean, "run_name"),
  };
}

function opt(v: string | undefined, clean: Cleaner, path: string): string | null {
  return v === undefined || v === "" ? null : clean.text(v, path);
}

/** The agent is the emitting process: service.name + service.instance.id of the resource. */
function agentOf(span: Span, batch: IngestBatch, clean: Cleaner): string {
  const r = span.resource.attributes;
  const rawName = typeof r["service.name"] === "string" && r["service.name"] ? r["service.name"] : "unknown_service";
  const serviceName = clean.text(rawName, "service.name");
  const instanceId =
    typeof r["service.instance.id"] === "string" ? clean.text(r["service.instance.id"], "service.instance.id") : "";
  const key = agentKey(serviceName, instanceId);
  if (!batch.agents.has(key)) {
    const row: AgentRow = { serviceName, instanceId, attributes: JSON.stringify(clean.value(r, "resource")) };
    batch.agents.set(key, row);
  }
  return key;
}

/** Tool arguments/results and chain inputs/outputs, stored out of line. */
function bodyOf(n: NormalizedStep, which: "input" | "output", clean: Cleaner): { text: string; fullBytes: number | null } | null {
  const raw = which === "input" ? (n.toolArguments ?? n.input) : (n.toolResult ?? n.output);
  if (raw === undefined) return null;
  const before = clean.truncated.length;
  const text = clean.text(raw, which);
  return { text, fullBytes: clean.truncated.length > before ? clean.truncated.at(-1)!.bytes : null };
}

/**
 * Stores a message once per content hash; returns its hash (for the step's ordered context) and its cleaned ids.
 * GenAI events sent as logs go through here too (collector/normalize/logs.ts), so their messages are the same rows.
 */
export function storeMessage(
  m: ChatMessage,
  path: string,
  batch: IngestBatch,
  clean: Cleaner,
  memo?: MessageMemo,
): StoredMessage & { hash: string; bytes: number } {
  const key = memo && messageMemoKey(m);
  const known = key === undefined ? undefined : memo!.get(key);
  if (known) {
    if (!batch.messages.has(known.row.hash)) batch.messages.set(known.row.hash, known.row);
    return known.stored;
  }
  const before = clean.truncated.length;
  const body: Record<string, unknown> = {
    role: clean.text(m.role, `${path}.role`),
    content: m.content === null ? null : clean.value(m.content, `${path}.content`),
  };
  if (m.toolCalls?.length)
    body.tool_calls = m.toolCalls.map((c, i) => ({
      id: c.id === null ? null : clean.text(c.id, `${path}.tool_calls[${i}].id`),
      name: clean.text(c.name, `${path}.tool_calls[${i}].name`),
      arguments: clean.text(c.arguments, `${path}.tool_calls[${i}].arguments`),
    }));
  if (m.toolCallId) body.tool_call_id = clean.text(m.toolCallId, `${path}.tool_call_id`);
  if (m.name) body.name = clean.text(m.name, `${path}.name`);
  // Fixed key order (role, content, tool_calls, tool_call_id, name): equal messages serialize equally.
  const content = JSON.stringify(body);
  const hash = messageHash(content);
  let row = batch.messages.get(hash);
  if (!row) {
    row = {
      hash,
      role: body.role as string,
      content,
      byteSize: Buffer.byteLength(content),
      truncated: clean.truncated.length > before,
    };
    batch.messages.set(hash, row);
  }
  const stored = {
    hash,
    bytes: row.byteSize,
    role: body.role as string,
    toolCalls: body.tool_calls as StoredMessage["toolCalls"],
    toolCallId: body.tool_call_id as string | undefined,
  };
  // A message with a cut is not remembered: its cuts are recorded with each step's own path.
  if (key !== undefined && clean.truncated.length === before) memo!.set(key, { stored, row });
  return stored;
}

/**
 * Raw request/response bodies that repeat a model call's whole conversation
 * (OpenInference `input.value`, Traceloop `traceloop.entity.input`, …). Once the
 * messages are parsed and stored by hash, keeping these would store the history
 * again on every call — quadratic in conversation length — so they are dropped and
 * their names recorded in `causeway.omitted`.
 */
const RAW_CONVERSATION_KEYS = [
  "input.value",
  "output.value",
  "traceloop.entity.input",
  "traceloop.entity.output",
  "gen_ai.prompt",
  "gen_ai.completion",
];

function omitRawConversation(n: NormalizedStep, remaining: Record<string, unknown>): string[] {
  if (n.kind !== "llm" || !(n.inputMessages?.length || n.outputMessages?.length)) return [];
  const omitted: string[] = [];
  for (const key of RAW_CONVERSATION_KEYS)
    if (key in remaining) {
      delete remaining[key];
      omitted.push(key);
    }
  return omitted;
}
