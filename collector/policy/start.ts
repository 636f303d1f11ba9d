import type { Logger } from "@/lib/log";
import { createPrisma } from "@/lib/server/db/prisma";
import { issueRunCommand } from "@/lib/server/repositories/control";
import type { CollectorEnv } from "@/collector/env";
import type { Metrics } from "@/collector/receiver/metrics";
import { createPolicyEnforcer, type PolicyEnforcer } from "@/collector/policy/enforce";
import { fileLabel, loadPolicyFile } from "@/collector/policy/load";
import { PolicySource } from "@/collector/policy/source";

/**
 * Runtime policies as the collector runs them: the policy file (read now; a bad file
 * stops the start), the policies of each project (collector/policy/source.ts) for the
 * drift detectors, and the enforcer for the drift stage's `onRaised`. Its own Prisma
 * client with two connections: the live-control repository the web app uses takes one
 * to issue a command, so policies and operators go through the same code.
 */
export type RunningPolicies = {
  source: PolicySource;
  enforcer: PolicyEnforcer;
  close(): Promise<void>;
};

export function startPolicies(env: CollectorEnv, log: Logger, metrics?: Metrics): RunningPolicies {
  const path = env.CAUSEWAY_POLICY_FILE;
  const file = loadPolicyFile(path);
  const db = createPrisma(env.DATABASE_URL, { max: 2 });
  const source = new PolicySource(db, file && path ? { policies: file, label: fileLabel(path) } : null, log);
  void source.syncAll();
  const enforcer = createPolicyEnforcer({
    policies: (projectId) => source.get(projectId),
    async runIsLive(run) {
      const row = await db.run.findUnique({
        where: { projectId_id: { projectId: run.projectId, id: run.runId } },
        select: { status: true },
      });
      return row?.status === "live" || row?.status === "paused";
    },
    issue: (run, cmd) => issueRunCommand(db, run.projectId, run.runId, cmd),
    log,
    metrics,
  });
  return {
    source,
    enforcer,
    async close() {
      await enforcer.close();
      await db.$disconnect();
    },
  };
}
