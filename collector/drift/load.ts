import type pg from "pg";
import type { DriftStep } from "@/lib/drift/types";
import { formatRunRef, type RunRef } from "@/lib/live/channels";
import { stepOrder } from "@/lib/runs/step-order";

/**
 * What an evaluation reads about a run: the run row (status, agent) and its steps as
 * DriftSteps, keyed by (project, run) like every span query. Bodies stay in the database:
 * tool results arrive as digests, long arguments too, so a run with big tool outputs
 * costs the detectors kilobytes, not megabytes.
 */
export type Queryable = Pick<pg.Pool, "query">;

export type RunFacts = { live: boolean; serviceName: string | null; driftCount: number };

export type LoadedRun = { facts: RunFacts; steps: DriftStep[] };

/**
 * Several runs at once, in two statements whatever their number: the drift stage evaluates runs in batches, and
 * per-run statements (two for each of ~500 runs a second under full ingest) cost more in parsing, planning and
 * round trips than the reading itself. Runs that do not exist are absent from the result.
 */
export async function loadRuns(db: Queryable, runs: readonly RunRef[]): Promise<Map<string, LoadedRun>> {
  const out = new Map<string, LoadedRun>();
  if (runs.length === 0) return out;
  const keys = [runs.map((r) => r.projectId), runs.map((r) => r.runId)];
  const facts = await db.query<{ i: string; status: string; service_name: string | null; drift_count: number }>(
    `SELECT k.i, r.status::text AS status, a.service_name, r.drift_count
     FROM unnest($1::uuid[], $2::bpchar[]) WITH ORDINALITY AS k(p, r, i)
     JOIN runs r ON r.project_id = k.p AND r.id = k.r
     LEFT JOIN agents a ON a.id = r.agent_id`,
    keys,
  );
  if (facts.rows.length === 0) return out;
  const steps = await db.query<StepRowDb & { i: string }>(STEPS, keys);
  const byRun = new Map<string, StepRowDb[]>();
  for (const row of steps.rows) {
    const list = byRun.get(row.i);
    if (list) list.push(row);
    else byRun.set(row.i, [row]);
  }
  for (const f of facts.rows) {
    const run = runs[Number(f.i) - 1]!;
    out.set(formatRunRef(run), {
      // A paused run will go on: like a live one, it is a prefix of what it will do.
      facts: { live: f.status === "live" || f.status === "paused", serviceName: f.service_name, driftCount: f.drift_count },
      steps: toDriftSteps(byRun.get(f.i) ?? []),
    });
  }
  return out;
}

/** Arguments up to this size travel as text (to be normalized and shown); longer ones as a digest. */
const MAX_ARGUMENT_BYTES = 4096;

type StepRowDb = {
  span_id: string;
  parent_span_id: string | null;
  kind: DriftStep["kind"];
  name: string;
  start_ns: string;
  end_ns: string | null;
  status: DriftStep["status"];
  status_message: string | null;
  tool_name: string | null;
  tool_arguments: string | null;
  result_digest: string | null;
  input_tokens: number | null;
  total_tokens: number | null;
  context_bytes: string | null;
  output_hashes: string[] | null;
  egress_target: string | null;
};

const STEPS = `
  SELECT k.i, s.*
  FROM unnest($1::uuid[], $2::bpchar[]) WITH ORDINALITY AS k(p, r, i)
  CROSS JOIN LATERAL (
    SELECT s.span_id, s.parent_span_id, s.kind::text AS kind, s.name, s.start_ns, s.end_ns, s.status::text AS status,
      s.status_message,
      CASE WHEN s.kind = 'tool' THEN COALESCE(s.tool_name, s.name) END AS tool_name,
      CASE WHEN s.kind = 'tool' THEN
        CASE WHEN octet_length(p.input) <= ${MAX_ARGUMENT_BYTES} THEN p.input ELSE 'md5:' || md5(p.input) END
      END AS tool_arguments,
      CASE WHEN s.kind = 'tool' THEN md5(p.output) END AS result_digest,
      s.input_tokens, s.total_tokens,
      -- Bytes of context where tokens are missing (summed at ingest).
      CASE WHEN s.kind = 'llm' AND s.input_tokens IS NULL AND s.context_count > 0 THEN s.context_bytes END AS context_bytes,
      CASE WHEN s.kind = 'llm' THEN s.output_hashes END AS output_hashes,
      CASE WHEN s.span_kind = 3 THEN COALESCE(s.attributes->>'url.full', s.attributes->>'http.url',
        s.attributes->>'server.address', s.attributes->>'net.peer.name', s.attributes->>'http.host') END AS egress_target
    FROM steps s
    -- LATERAL: one primary-key probe per tool step whatever the statistics say. As a plain join, a run ingested
    -- before its first ANALYZE was estimated at one row and joined by a nested loop over all its payloads
    -- (minutes on a 100k-span run).
    LEFT JOIN LATERAL (
      SELECT p.input, p.output FROM step_payloads p
      WHERE p.project_id = s.project_id AND p.run_id = s.run_id AND p.span_id = s.span_id AND s.kind = 'tool'
      LIMIT 1) p ON true -- LIMIT keeps the planner from flattening it back into that join
    WHERE s.project_id = k.p AND s.run_id = k.r
    ORDER BY s.start_ns
    OFFSET 0 -- likewise: each run's steps by its index, never a join over the whole table
  ) s`;

function toDriftSteps(rows: StepRowDb[]): DriftStep[] {
  // The run view's order (lib/server/repositories/run-detail.ts), so "step N" means the same step there.
  const order = stepOrder(
    rows.map((r) => ({
      spanId: r.span_id,
      parentSpanId: r.parent_span_id,
      startNs: BigInt(r.start_ns),
      endNs: r.end_ns === null ? null : BigInt(r.end_ns),
    })),
  );
  return order.map((at, i) => toDriftStep(rows[at]!, i + 1));
}
function toDriftStep(r: StepRowDb, index: number): DriftStep {
  return {
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    index,
    kind: r.kind,
    name: r.name,
    status: r.status,
    statusMessage: r.status_message,
    toolName: r.tool_name,
    toolArguments: r.tool_arguments,
    resultDigest: r.result_digest,
    inputTokens: r.input_tokens,
    totalTokens: r.total_tokens,
    contextBytes: r.context_bytes === null ? null : Number(r.context_bytes),
    outputHashes: r.output_hashes ?? [],
    egressTarget: r.egress_target,
  };
}
