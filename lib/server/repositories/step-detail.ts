import type { Db } from "@/lib/server/db/prisma";
import type { StepSummary } from "@/lib/api/schemas";
import type { ContextMessage, ContextPoint, ContextSeries, Payload, StepDetail } from "@/lib/api/step-schemas";
import { findPreviousLlmStep, resolveAgents, type LightStep } from "@/lib/context/agents";
import { messageCuts } from "@/lib/context/cuts";
import { diffContext } from "@/lib/context/diff";
import { readAnnotations, readCuts, readEvents, readLinks, readMessage, type StoredMessage } from "@/lib/context/stored";

type StepRowDb = {
  span_id: string;
  parent_span_id: string | null;
  kind: StepSummary["kind"];
  name: string;
  family: string;
  span_kind: number;
  status: StepSummary["status"];
  status_message: string | null;
  start_ns: string;
  end_ns: string | null;
  agent_name: string | null;
  provider: string | null;
  model: string | null;
  tool_name: string | null;
  tool_call_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  context_hashes: string[];
  output_hashes: string[];
  attributes: unknown;
  events: unknown;
  links: unknown;
  scope_name: string | null;
  input: string | null;
  output: string | null;
  input_bytes: number | null;
  output_bytes: number | null;
  input_full_bytes: number | null;
  output_full_bytes: number | null;
};
type LightRowDb = {
  span_id: string;
  parent_span_id: string | null;
  kind: string;
  agent_name: string | null;
  start_ns: string;
  input_tokens: number | null;
};
type MessageRowDb = { hash: string; role: string; content: unknown; byte_size: number; truncated: boolean };

/**
 * Everything the step panel shows, loaded when a step is opened: columns, attributes and
 * annotations, events, links, payloads, the resolved input/output messages and, for model
 * calls, the diff against the previous call. Five indexed queries whatever the run's size;
 * only this step's (and the previous call's) messages are read.
 */
export async function getStepDetail(db: Db, projectId: string, runId: string, spanId: string): Promise<StepDetail | null> {
  const [rows, light] = await Promise.all([
    db.$queryRaw<StepRowDb[]>`
      SELECT s.span_id, s.parent_span_id, s.kind::text AS kind, s.name, s.family, s.span_kind, s.status::text AS status,
             s.status_message, s.start_ns::text AS start_ns, s.end_ns::text AS end_ns, s.agent_name, s.provider, s.model,
             s.tool_name, s.tool_call_id, s.input_tokens, s.output_tokens, s.total_tokens, s.context_hashes, s.output_hashes,
             s.attributes, s.events, s.links, s.scope_name, p.input, p.output,
             octet_length(p.input) AS input_bytes, octet_length(p.output) AS output_bytes, p.input_full_bytes, p.output_full_bytes
      FROM steps s LEFT JOIN step_payloads p ON p.project_id = s.project_id AND p.run_id = s.run_id AND p.span_id = s.span_id
      WHERE s.project_id = ${projectId}::uuid AND s.run_id = ${runId} AND s.span_id = ${spanId}`,
    lightSteps(db, projectId, runId),
  ]);
  const row = rows[0];
  if (!row) return null;
  const steps = light.map(toLight);
  const agents = resolveAgents(steps);
  const annotations = readAnnotations(row.attributes);
  const cuts = messageCuts(annotations.truncated);

  const prevLight = row.kind === "llm" ? findPreviousLlmStep(steps, spanId, agents) : null;
  const prevRow = prevLight ? await previousContext(db, projectId, runId, prevLight.spanId) : null;
  const messages = await loadMessages(db, projectId, [
    ...row.context_hashes,
    ...row.output_hashes,
    ...(prevRow?.context_hashes ?? []),
  ]);
  const resolve = (hashes: string[], side: Map<number, StepDetail["truncated"]>) =>
    hashes.map((h, i) => readMessage(h, messages.get(h), side.get(i)));
  const inputMessages = resolve(row.context_hashes, cuts.input);
  const outputMessages = resolve(row.output_hashes, cuts.output);
  const prevMessages: ContextMessage[] | null = prevRow
    ? resolve(prevRow.context_hashes, messageCuts(readCuts(prevRow.truncated)).input)
    : null;
  const prevInputTokens = prevLight ? (light.find((l) => l.span_id === prevLight.spanId)?.input_tokens ?? null) : null;

  return {
    runId,
    step: {
      spanId: row.span_id,
      parentSpanId: row.parent_span_id,
      kind: row.kind,
      name: row.name,
      family: row.family,
      status: row.status,
      statusMessage: row.status_message,
      startNs: row.start_ns,
      endNs: row.end_ns,
      agentName: row.agent_name,
      provider: row.provider,
      model: row.model,
      toolName: row.tool_name,
      toolCallId: row.tool_call_id,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      handoffTo: handoffOf(row.attributes),
      contextSize: row.context_hashes.length,
      scopeName: row.scope_name,
      spanKind: row.span_kind,
      totalTokens: row.total_tokens,
    },
    agent: agents.get(spanId) ?? null,
    ...annotations,
    events: readEvents(row.events),
    links: readLinks(row.links),
    input: payloadOf(row.input, row.input_bytes, row.input_full_bytes),
    output: payloadOf(row.output, row.output_bytes, row.output_full_bytes),
    inputMessages,
    outputMessages,
    previous: prevLight
      ? {
          spanId: prevLight.spanId,
          name: prevRow?.name ?? "",
          startNs: prevLight.startNs.toString(),
          agent: agents.get(prevLight.spanId) ?? null,
          inputTokens: prevInputTokens,
        }
      : null,
    contextDiff:
      row.kind === "llm" ? diffContext(prevMessages, inputMessages, { before: prevInputTokens, after: row.input_tokens }) : null,
  };
}

/** Whether a run exists, to tell "no such run" from "no such step" in a 404. */
export async function runExists(db: Db, projectId: string, runId: string): Promise<boolean> {
  const rows = await db.$queryRaw<unknown[]>`SELECT 1 FROM runs WHERE project_id = ${projectId}::uuid AND id = ${runId}`;
  return rows.length > 0;
}

/**
 * The context size of every model call of a run, for the "context size per step" chart: message
 * count, stored bytes (summed at ingest) and input tokens. One read of the run's light columns, no
 * message touched. All steps come back so each call's agent can be resolved through its ancestors.
 */
export async function getContextSeries(db: Db, projectId: string, runId: string): Promise<ContextSeries | null> {
  const rows = await db.$queryRaw<(LightRowDb & { message_count: number; bytes: number })[]>`
    SELECT span_id, parent_span_id, kind::text AS kind, agent_name, start_ns::text AS start_ns, input_tokens,
           context_count AS message_count, context_bytes::float8 AS bytes
    FROM steps s WHERE project_id = ${projectId}::uuid AND run_id = ${runId}
    ORDER BY s.start_ns, s.span_id`; // s.: the bare name would sort by the text column of the same name
  if (rows.length === 0) return (await runExists(db, projectId, runId)) ? { runId, points: [] } : null;
  const agents = resolveAgents(rows.map(toLight));
  const points: ContextPoint[] = rows
    .filter((r) => r.kind === "llm")
    .map((r) => ({
      spanId: r.span_id,
      startNs: r.start_ns,
      agentName: agents.get(r.span_id) ?? null,
      messageCount: r.message_count,
      bytes: r.bytes,
      inputTokens: r.input_tokens,
    }));
  return { runId, points };
}

function lightSteps(db: Db, projectId: string, runId: string): Promise<LightRowDb[]> {
  return db.$queryRaw<LightRowDb[]>`
    SELECT span_id, parent_span_id, kind::text AS kind, agent_name, start_ns::text AS start_ns, input_tokens
    FROM steps WHERE project_id = ${projectId}::uuid AND run_id = ${runId}`;
}

const toLight = (r: LightRowDb): LightStep => ({
  spanId: r.span_id,
  parentSpanId: r.parent_span_id,
  kind: r.kind,
  agentName: r.agent_name,
  startNs: BigInt(r.start_ns),
});

async function previousContext(db: Db, projectId: string, runId: string, spanId: string) {
  const rows = await db.$queryRaw<{ name: string; context_hashes: string[]; truncated: unknown }[]>`
    SELECT name, context_hashes, attributes->'causeway.truncated' AS truncated
    FROM steps WHERE project_id = ${projectId}::uuid AND run_id = ${runId} AND span_id = ${spanId}`;
  return rows[0] ?? null;
}

async function loadMessages(db: Db, projectId: string, hashes: string[]): Promise<Map<string, StoredMessage>> {
  const distinct = [...new Set(hashes)];
  if (distinct.length === 0) return new Map();
  const rows = await db.$queryRaw<MessageRowDb[]>`
    SELECT hash::text AS hash, role, content, byte_size, truncated FROM messages
    WHERE project_id = ${projectId}::uuid AND hash = ANY(${distinct}::bpchar[])`;
  return new Map(rows.map((r) => [r.hash, { role: r.role, content: r.content, byteSize: r.byte_size, truncated: r.truncated }]));
}

function payloadOf(text: string | null, bytes: number | null, fullBytes: number | null): Payload | null {
  return text === null ? null : { text, bytes: bytes ?? Buffer.byteLength(text), fullBytes };
}

function handoffOf(attributes: unknown): string | null {
  const v = (attributes as Record<string, unknown> | null)?.["causeway.handoff_to"];
  return typeof v === "string" ? v : null;
}
