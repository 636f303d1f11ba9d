import type { DriftConfig } from "@/lib/drift/config";
import type { BaselineRun } from "@/lib/drift/types";
import type { Queryable } from "@/collector/drift/load";

/**
 * An agent's baseline: its most recent successful runs (status ok, no high or critical
 * drift of their own, so one explosion does not become the new normal), with totals
 * for budgets and, for the newest of them, tool sequences for trajectories. An agent
 * is a service.name: its instances and restarts share one baseline.
 *
 * Read from runs and steps — nothing to keep in sync — and cached per agent for
 * `cacheMs`: a live run is evaluated several times a second, its baseline barely moves.
 */
export class BaselineCache {
  private readonly entries = new Map<string, { at: number; value: Promise<BaselineRun[]> }>();

  constructor(
    private readonly db: Queryable,
    private readonly config: DriftConfig,
    private readonly maxAgents = 1000,
  ) {}

  get(projectId: string, serviceName: string, withTools: boolean): Promise<BaselineRun[]> {
    const key = `${projectId}\u0000${serviceName}\u0000${withTools ? 1 : 0}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.config.baseline.cacheMs) return hit.value;
    const value = loadBaseline(this.db, projectId, serviceName, this.config, withTools);
    // A failed load is not cached: the next evaluation tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.entries.delete(key);
    this.entries.set(key, { at: Date.now(), value });
    if (this.entries.size > this.maxAgents) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

export async function loadBaseline(
  db: Queryable,
  projectId: string,
  serviceName: string,
  config: DriftConfig,
  withTools: boolean,
): Promise<BaselineRun[]> {
  const { rows } = await db.query<{ id: string; total_tokens: string; step_count: number }>(
    `SELECT r.id, r.total_tokens::text AS total_tokens, r.step_count
     FROM runs r
     WHERE r.project_id = $1
       AND r.agent_id IN (SELECT id FROM agents WHERE project_id = $1 AND service_name = $2)
       AND r.status = 'ok' AND (r.max_drift_severity IS NULL OR r.max_drift_severity < 'high')
     ORDER BY r.started_at DESC
     LIMIT $3`,
    [projectId, serviceName, config.baseline.maxRuns],
  );
  const runs: BaselineRun[] = rows.map((r) => ({ runId: r.id, totalTokens: Number(r.total_tokens), steps: r.step_count }));
  if (!withTools || runs.length < config.trajectory.minBaselineRuns) return runs;

  const recent = runs.slice(0, config.trajectory.maxBaselineRuns);
  // bpchar[], not text[]: run_id is char(32), and a text comparison would scan the project's steps (index-use.test.ts).
  const sequences = await db.query<{ id: string; tools: string[] }>(
    `SELECT b.id, COALESCE((
        SELECT (array_agg(COALESCE(s.tool_name, s.name) ORDER BY s.start_ns, s.span_id))[1:$3]
        FROM steps s
        WHERE s.project_id = $1 AND s.run_id = b.id AND s.kind = 'tool'
          -- the order and the nested-call rule of collector/drift/load.ts and lib/drift/steps.ts
          AND NOT EXISTS (SELECT 1 FROM steps p WHERE p.project_id = s.project_id AND p.run_id = s.run_id
                          AND p.span_id = s.parent_span_id AND p.kind = 'tool'
                          AND COALESCE(p.tool_name, p.name) = COALESCE(s.tool_name, s.name))
      ), '{}') AS tools
     FROM unnest($2::bpchar[]) AS b(id)`,
    [projectId, recent.map((r) => r.runId), config.trajectory.maxSequence],
  );
  const tools = new Map(sequences.rows.map((r) => [r.id, r.tools]));
  for (const r of recent) r.tools = tools.get(r.runId) ?? [];
  return runs;
}
