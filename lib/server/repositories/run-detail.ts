import { poolOf, type Db } from "@/lib/server/db/prisma";
import type { RunDetail, StepSummary } from "@/lib/api/schemas";
import { decodeRunDetail, RunDetailWireBuilder, type RunDetailWire } from "@/lib/api/run-detail-wire";
import { buildCausalEdges, type GraphStep } from "@/lib/graph/causal";
import { stepOrder } from "@/lib/runs/step-order";
import { findRunSummary } from "@/lib/server/repositories/runs";

/**
 * Light columns only: the causal facts were stored at ingest (collector/normalize/facts.ts),
 * so no message, hash array or attribute is read. The facts travel as one small JSON text
 * per LLM step: node-postgres parses text[] in JavaScript, five times slower for 100k rows.
 */
const STEPS = `
  SELECT span_id, parent_span_id, kind, name, family, status, status_message, start_ns, end_ns, agent_name, provider,
         model, tool_name, tool_call_id, input_tokens, output_tokens, handoff_to, context_count,
         CASE WHEN cardinality(call_ids) + cardinality(tool_result_ids) > 0
              THEN json_build_array(call_ids, call_names, tool_result_ids)::text END AS facts
  FROM steps WHERE project_id = $1::uuid AND run_id = $2
  -- The index's order, so nearly sorted already: stepOrder (lib/runs/step-order.ts) orders ties.
  ORDER BY start_ns`;

type StepRowDb = [...StepRowHead, ...StepRowTail];
type StepRowHead = [
  spanId: string,
  parentSpanId: string | null,
  kind: StepSummary["kind"],
  name: string,
  family: string,
  status: StepSummary["status"],
  statusMessage: string | null,
  startNs: string,
  endNs: string | null,
];
type StepRowTail = [
  agentName: string | null,
  provider: string | null,
  model: string | null,
  toolName: string | null,
  toolCallId: string | null,
  inputTokens: number | null,
  outputTokens: number | null,
  handoffTo: string | null,
  contextSize: number,
  facts: string | null,
];
type Facts = [callIds: string[], callNames: string[], toolResultIds: string[]];

/**
 * A run with its steps, causal edges and drift points — everything the run view
 * draws, without message bodies or payloads (loaded per step) — in the API's wire
 * columns (lib/api/run-detail-wire.ts), built in one pass over the rows.
 *
 * The steps are read through node-postgres with array rows, not Prisma: for 100k rows
 * Prisma's row decoding alone took longer than the query (bench/run-detail.ts).
 */
export async function getRunDetailWire(db: Db, projectId: string, runId: string): Promise<RunDetailWire | null> {
  const [run, result, drift] = await Promise.all([
    findRunSummary(db, projectId, runId),
    poolOf(db).query<StepRowDb>({ text: STEPS, values: [projectId, runId], rowMode: "array" }),
    db.driftPoint.findMany({ where: { projectId, runId }, orderBy: { createdAt: "asc" } }),
  ]);
  if (!run) return null;
  const rows = result.rows;
  const graphSteps: GraphStep[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    // Destructured in place (no per-row slices): these loops run once per step, 100k times for a big run.
    const [spanId, parentSpanId, kind, name, , , , startNs, endNs, agentName] = rows[i]!;
    const [, , , , , , , , , , , , toolName, toolCallId, , , handoffTo, , facts] = rows[i]!;
    const [callIds, callNames, toolResultIds] = facts === null ? NO_FACTS : (JSON.parse(facts) as Facts);
    graphSteps[i] = {
      spanId,
      parentSpanId,
      kind,
      name,
      startNs: BigInt(startNs),
      endNs: endNs === null ? null : BigInt(endNs),
      toolName,
      toolCallId,
      agentName,
      handoffTo,
      decidedCalls: callIds.length ? callIds.map((id, k) => ({ id: id || null, name: callNames[k] ?? "" })) : NO_CALLS,
      consumedResultIds: toolResultIds,
    };
  }
  // The SQL order is by start only: steps started in one clock tick are put in run order here.
  const order = stepOrder(graphSteps);
  const wire = new RunDetailWireBuilder(rows[0]?.[7] ?? "0"); // the earliest start: rows come by start
  for (const i of order) {
    const [spanId, parentSpanId, kind, name, family, status, statusMessage, startNs, endNs, agentName, provider, model] =
      rows[i]!;
    const [, , , , , , , , , , , , toolName, toolCallId, inputTokens, outputTokens, handoffTo, contextSize] = rows[i]!;
    wire.addStep({
      spanId,
      parentSpanId,
      kind,
      name,
      family,
      status,
      statusMessage,
      startNs,
      endNs,
      agentName,
      provider,
      model,
      toolName,
      toolCallId,
      inputTokens,
      outputTokens,
      handoffTo,
      contextSize,
    });
  }
  for (const edge of buildCausalEdges(order.map((i) => graphSteps[i]!))) wire.addEdge(edge);
  return wire.finish(
    run,
    drift.map((d) => ({
      id: d.id.toString(),
      spanId: d.spanId,
      detector: d.detector,
      severity: d.severity,
      score: d.score,
      summary: d.summary,
      createdAt: d.createdAt.toISOString(),
    })),
  );
}

/** The same, one object per step (tests, server-side readers). */
export async function getRunDetail(db: Db, projectId: string, runId: string): Promise<RunDetail | null> {
  const wire = await getRunDetailWire(db, projectId, runId);
  return wire && decodeRunDetail(wire);
}

const NO_FACTS: Facts = [[], [], []];
const NO_CALLS: GraphStep["decidedCalls"] = [];
