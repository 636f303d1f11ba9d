import pg from "pg";
import type { Logger } from "@/lib/log";
import { issueRunCommand } from "@/lib/server/repositories/run-commands";
import type { CollectorEnv } from "@/collector/env";
import type { Metrics } from "@/collector/receiver/metrics";
import { createPolicyEnforcer, type PolicyEnforcer } from "@/collector/policy/enforce";
import { fileLabel, loadPolicyFile } from "@/collector/policy/load";
import { PolicySource } from "@/collector/policy/source";

/**
 * Runtime policies as the collector runs them: the policy file (read now; a bad file
 * stops the start), the policies of each project (collector/policy/source.ts) for the
 * drift detectors, and the enforcer for the drift stage's `onRaised`. Its own pool of
 * two connections: the live-control repository the web app uses takes one to issue a
 * command, so policies and operators go through the same code. (No Prisma client here:
 * its query engine alone would add ~70 MB to the collector.)
 */
export type RunningPolicies = {
  source: PolicySource;
  enforcer: PolicyEnforcer;
  close(): Promise<void>;
};

export function startPolicies(env: CollectorEnv, log: Logger, metrics?: Metrics): RunningPolicies {
  const path = env.CAUSEWAY_POLICY_FILE;
  const file = loadPolicyFile(path);
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, connectionTimeoutMillis: 5000 });
  pool.on("error", (error) => log.warn("policy database connection error", { error: error.message }));
  const source = new PolicySource(pool, file && path ? { policies: file, label: fileLabel(path) } : null, log);
  void source.syncAll();
  const enforcer = createPolicyEnforcer({
    policies: (projectId) => source.get(projectId),
    async runIsLive(run) {
      const { rows } = await pool.query<{ status: string }>(
        `SELECT status::text AS status FROM runs WHERE project_id = $1::uuid AND id = $2`,
        [run.projectId, run.runId],
      );
      return rows[0]?.status === "live" || rows[0]?.status === "paused";
    },
    issue: (run, cmd) => issueRunCommand(pool, run.projectId, run.runId, cmd),
    log,
    metrics,
  });
  return {
    source,
    enforcer,
    async close() {
      await enforcer.close();
      await pool.end();
    },
  };
}
