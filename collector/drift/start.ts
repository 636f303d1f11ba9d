import pg from "pg";
import { DETECTOR_LIST } from "@/lib/drift/registry";
import type { Logger } from "@/lib/log";
import type { CollectorEnv } from "@/collector/env";
import type { DriftPolicies } from "@/collector/drift/evaluate";
import { createDriftStage, type DriftStage, type RaisedDrift } from "@/collector/drift/stage";
import type { Metrics } from "@/collector/receiver/metrics";

/**
 * The drift stage as the collector runs it, from its settings; null when
 * CAUSEWAY_DRIFT=off. It has its own two connections: detector queries never take a
 * connection the store queue is waiting for.
 */
export function startDriftStage(
  env: CollectorEnv,
  log: Logger,
  metrics: Metrics,
  onRaised: (event: RaisedDrift) => void,
  /** The runtime policies (collector/policy: the policy file and the ones set in the UI). */
  policies: DriftPolicies,
): DriftStage | null {
  const detectors = DETECTOR_LIST.filter((d) => env.CAUSEWAY_DRIFT.includes(d.name));
  if (detectors.length === 0) return null;
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2, connectionTimeoutMillis: 5000 });
  pool.on("error", (error) => log.warn("drift database connection error", { error: error.message }));
  const stage = createDriftStage(pool, {
    config: env.CAUSEWAY_DRIFT_THRESHOLDS,
    detectors,
    policies,
    debounceMs: env.CAUSEWAY_DRIFT_DEBOUNCE_MS,
    log,
    metrics,
    onRaised,
  });
  return {
    runsChanged: (runs) => stage.runsChanged(runs),
    async close() {
      await stage.close();
      await pool.end();
    },
  };
}
