import type pg from "pg";
import type { DriftConfig } from "@/lib/drift/config";
import type { Detector } from "@/lib/drift/registry";
import type { DriftFinding } from "@/lib/drift/types";
import { formatRunRef, type RunRef } from "@/lib/live/channels";
import type { Logger } from "@/lib/log";
import { BaselineCache } from "@/collector/drift/baselines";
import { evaluateRuns, type DriftPolicies } from "@/collector/drift/evaluate";
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
    batchSize: 64,
    maxPending: 10_000,
    log: o.log,
    onDropped: (n) => o.metrics?.inc("causeway_collector_drift_dropped_total", n),
    onFailed: () => o.metrics?.inc("causeway_collector_drift_failures_total"),
    async evaluate(runs) {
      const started = performance.now();
      const results = await evaluateRuns(deps, runs);
      o.metrics?.inc("causeway_collector_drift_evaluations_total", results.length);
      o.metrics?.record("causeway_collector_drift_evaluation_duration_seconds", (performance.now() - started) / 1000);
      const costs = new Map<string, number>();
      const changed: RunRef[] = [];
      for (const r of results) {
        costs.set(formatRunRef(r.run), r.ms);
        if ("error" in r) {
          o.metrics?.inc("causeway_collector_drift_failures_total");
          o.log.warn("drift evaluation failed", { run: formatRunRef(r.run), error: message(r.error) });
        } else if (r.save.changed) changed.push(r.run);
      }
      await notifyRunsChanged(pool, changed);
      for (const r of results) {
        if ("error" in r || r.save.raised.length === 0) continue;
        o.metrics?.inc("causeway_collector_drift_points_raised_total", r.save.raised.length);
        o.log.debug("drift", { run: formatRunRef(r.run), raised: r.save.raised.map((f) => f.summary) });
        try {
          o.onRaised?.({ run: r.run, serviceName: r.serviceName, live: r.live, findings: r.save.raised });
        } catch (error) {
          o.log.warn("drift listener failed", { error: message(error) });
        }
      }
      return costs;
    },
  });
  o.metrics?.observe("causeway_collector_drift_pending_runs", () => scheduler.pendingRuns);
  return {
    runsChanged(runs) {
      try {
        scheduler.schedule(runs);
      } catch (error) {
        o.log.warn("drift scheduling failed", { error: message(error) });
      }
    },
    close: () => scheduler.close(),
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
