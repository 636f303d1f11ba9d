import type pg from "pg";
import type { DriftConfig } from "@/lib/drift/config";
import type { Detector } from "@/lib/drift/registry";
import type { DriftFinding } from "@/lib/drift/types";
import type { RunRef } from "@/lib/live/channels";
import type { Logger } from "@/lib/log";
import { BaselineCache } from "@/collector/drift/baselines";
import { evaluateRun, type DriftPolicies } from "@/collector/drift/evaluate";
import { DriftScheduler } from "@/collector/drift/scheduler";
import type { Metrics } from "@/collector/receiver/metrics";
import { notifyRunsChanged } from "@/collector/store/notify";

/**
 * The drift stage: after the store commits a batch, the runs it touched are scheduled
 * (collector/drift/scheduler.ts), evaluated (evaluate.ts), and when their drift points
 * changed, a "run changed" notification lets live views refresh.
 *
 * `onRaised` is where a policy layer plugs in: it receives each drift point that
 * appeared or became more severe, with the run's agent, once per change (not once per
 * evaluation).
 */
export type RaisedDrift = { run: RunRef; serviceName: string | null; live: boolean; findings: DriftFinding[] };

export type DriftStageOptions = {
  config: DriftConfig;
  detectors: readonly Detector[];
  policies: DriftPolicies;
  debounceMs: number;
  log: Logger;
  metrics?: Metrics;
  onRaised?: (event: RaisedDrift) => void;
};

export type DriftStage = {
  /** Never throws and never waits: safe to call from the store's commit callback. */
  runsChanged(runs: readonly RunRef[]): void;
  close(): Promise<void>;
};

export function createDriftStage(pool: pg.Pool, o: DriftStageOptions): DriftStage {
  const deps = {
    db: pool,
    config: o.config,
    detectors: o.detectors,
    policies: o.policies,
    baselines: new BaselineCache(pool, o.config),
  };
  const scheduler = new DriftScheduler({
    debounceMs: o.debounceMs,
    concurrency: 2,
    maxPending: 10_000,
    log: o.log,
    onDropped: (n) => o.metrics?.inc("causeway_collector_drift_dropped_total", n),
    onFailed: () => o.metrics?.inc("causeway_collector_drift_failures_total"),
    async evaluate(run) {
      const started = performance.now();
      const result = await evaluateRun(deps, run);
      o.metrics?.inc("causeway_collector_drift_evaluations_total");
      o.metrics?.set("causeway_collector_drift_last_evaluation_ms", Math.round(performance.now() - started));
      if (!result?.save.changed) return;
      await notifyRunsChanged(pool, [run]);
      if (result.save.raised.length === 0) return;
      o.metrics?.inc("causeway_collector_drift_points_raised_total", result.save.raised.length);
      o.log.debug("drift", { run: `${run.projectId}/${run.runId}`, raised: result.save.raised.map((f) => f.summary) });
      try {
        o.onRaised?.({ run, serviceName: result.serviceName, live: result.live, findings: result.save.raised });
      } catch (error) {
        o.log.warn("drift listener failed", { error: error instanceof Error ? error.message : String(error) });
      }
    },
  });
  o.metrics?.observe("causeway_collector_drift_pending_runs", () => scheduler.pendingRuns);
  return {
    runsChanged(runs) {
      try {
        scheduler.schedule(runs);
      } catch (error) {
        o.log.warn("drift scheduling failed", { error: error instanceof Error ? error.message : String(error) });
      }
    },
    close: () => scheduler.close(),
  };
}
