import type { RunRef } from "@/lib/live/channels";
import type { Logger } from "@/lib/log";
import { decide, enforcementCommand, resolvePolicy, type EnforcementCommand } from "@/lib/policy/evaluate";
import type { RaisedDrift } from "@/collector/drift/stage";
import type { Metrics } from "@/collector/receiver/metrics";
import type { AgentPolicies } from "@/collector/policy/source";

/**
 * Runtime policies in force: the drift stage reports each drift point that appeared or
 * became more severe (`onRaised`); when the run is live and its agent's policy says
 * pause or kill for it, the command goes through live control exactly as an operator's
 * does (lib/server/repositories/control.ts issueRunCommand: control_events +
 * NOTIFY causeway_control → every collector's hub → the agent's control client), with
 * the policy as the actor. `record` sends nothing: the drift point is the record.
 */
export type IssueOutcome =
  { kind: "applied"; replayed: boolean } | { kind: "unchanged" } | { kind: "refused"; message: string } | { kind: "not_found" };

export type EnforcerDeps = {
  policies: (projectId: string) => Promise<AgentPolicies | null>;
  /** True while the run is live or paused: an ended run is never acted on, even if it ended a moment ago. */
  runIsLive: (run: RunRef) => Promise<boolean>;
  issue: (run: RunRef, cmd: EnforcementCommand) => Promise<IssueOutcome>;
  log: Logger;
  metrics?: Metrics;
};

export type PolicyEnforcer = {
  /** For createDriftStage's `onRaised`: never throws, never waits. */
  onRaised(event: RaisedDrift): void;
  /** Waits for commands in flight. */
  close(): Promise<void>;
};

export const POLICY_METRICS = {
  causeway_collector_policy_commands_total: {
    type: "counter",
    help: "Pause and kill commands issued by runtime policies (replays of an earlier command not counted).",
  },
  causeway_collector_policy_failures_total: { type: "counter", help: "Policy enforcements that failed (logged)." },
} as const;

export function createPolicyEnforcer(deps: EnforcerDeps): PolicyEnforcer {
  const inFlight = new Set<Promise<void>>();
  return {
    onRaised(event) {
      const p: Promise<void> = enforce(deps, event)
        .then(() => {})
        .catch((error: unknown) => {
          deps.metrics?.inc("causeway_collector_policy_failures_total");
          deps.log.warn("policy enforcement failed", {
            run: `${event.run.projectId}/${event.run.runId}`,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async close() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

export async function enforce(deps: EnforcerDeps, event: RaisedDrift): Promise<EnforcementCommand | null> {
  if (!event.live) return null;
  const entry = resolvePolicy(await deps.policies(event.run.projectId), event.serviceName);
  if (!entry) return null;
  const decision = decide(entry.policy, event.findings);
  const cmd = decision && enforcementCommand(event.run.runId, entry.name, decision);
  if (!cmd || !(await deps.runIsLive(event.run))) return null;
  const outcome = await deps.issue(event.run, cmd);
  const fields = { run: event.run.runId, action: cmd.action, actor: cmd.actor.label, reason: cmd.reason };
  if (outcome.kind === "applied" && !outcome.replayed) {
    deps.metrics?.inc("causeway_collector_policy_commands_total");
    deps.log.info("policy acted", fields);
  } else deps.log.debug(`policy command ${outcome.kind === "applied" ? "replayed" : outcome.kind}`, fields);
  return cmd;
}
