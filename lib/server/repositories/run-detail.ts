import type { Db } from "@/lib/server/db/prisma";
import type { RunDetail, StepSummary } from "@/lib/api/schemas";
import { buildCausalEdges, type GraphStep } from "@/lib/graph/causal";
import { findRunSummary } from "@/lib/server/repositories/runs";

type StepRowDb = {
  span_id: string;
  parent_span_id: string | null;
  kind: StepSummary["kind"];
  name: string;
  family: string;
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
  handoff_to: string | null;
  context_hashes: string[];
  output_hashes: string[];
};
type MessageFacts = {
  hash: string;
  role: string;
  tool_calls: { id: string | null; name: string }[] | null;
  tool_call_id: string | null;
};

/**
 * A run with its steps, causal edges and drift points — everything the run view
 * draws, without message bodies or payloads (loaded per step). Edges come from the
 * tool-call ids in the stored messages: only ids and names are read, not content.
 */
export async function getRunDetail(db: Db, projectId: string, runId: string): Promise<RunDetail | null> {
  const run = await findRunSummary(db, projectId, runId);
  if (!run) return null;
  const rows = await db.$queryRaw<StepRowDb[]>`
    SELECT span_id, parent_span_id, kind::text AS kind, name, family, status::text AS status, status_message,
           start_ns::text AS start_ns, end_ns::text AS end_ns, agent_name, provider, model, tool_name, tool_call_id,
           input_tokens, output_tokens, attributes->>'causeway.handoff_to' AS handoff_to, context_hashes, output_hashes
    FROM steps WHERE project_id = ${projectId}::uuid AND run_id = ${runId}
    ORDER BY start_ns, span_id`;
  const hashes = [...new Set(rows.flatMap((r) => [...r.context_hashes, ...r.output_hashes]))];
  const facts = hashes.length
    ? await db.$queryRaw<MessageFacts[]>`
        SELECT hash, role,
               (SELECT jsonb_agg(jsonb_build_object('id', c->>'id', 'name', c->>'name')) FROM jsonb_array_elements(content->'tool_calls') c) AS tool_calls,
               content->>'tool_call_id' AS tool_call_id
        FROM messages WHERE project_id = ${projectId}::uuid AND hash = ANY(${hashes}) AND role IN ('assistant', 'tool')`
    : [];
  const byHash = new Map(facts.map((f) => [f.hash, f]));
  const graphSteps: GraphStep[] = rows.map((r) => ({
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    kind: r.kind,
    name: r.name,
    startNs: BigInt(r.start_ns),
    endNs: r.end_ns === null ? null : BigInt(r.end_ns),
    toolName: r.tool_name,
    toolCallId: r.tool_call_id,
    agentName: r.agent_name,
    handoffTo: r.handoff_to,
    decidedCalls: r.output_hashes.flatMap((h) => byHash.get(h)?.tool_calls ?? []),
    consumedResultIds: r.context_hashes.flatMap((h) => byHash.get(h)?.tool_call_id ?? []),
  }));
  const drift = await db.driftPoint.findMany({ where: { projectId, runId }, orderBy: { createdAt: "asc" } });
  return {
    run,
    steps: rows.map((r) => ({
      spanId: r.span_id,
      parentSpanId: r.parent_span_id,
      kind: r.kind,
      name: r.name,
      family: r.family,
      status: r.status,
      statusMessage: r.status_message,
      startNs: r.start_ns,
      endNs: r.end_ns,
      agentName: r.agent_name,
      provider: r.provider,
      model: r.model,
      toolName: r.tool_name,
      toolCallId: r.tool_call_id,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      handoffTo: r.handoff_to,
      contextSize: r.context_hashes.length,
    })),
    edges: buildCausalEdges(graphSteps),
    driftPoints: drift.map((d) => ({
      id: d.id.toString(),
      spanId: d.spanId,
      detector: d.detector,
      severity: d.severity,
      score: d.score,
      summary: d.summary,
      createdAt: d.createdAt.toISOString(),
    })),
  };
}
