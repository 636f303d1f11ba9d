import { SECONDS_BUCKETS, type MetricSpec } from "@/collector/receiver/metrics";

/** The drift stage's metrics, added to the collector's /metrics. */
export const DRIFT_METRICS = {
  causeway_collector_drift_evaluations_total: { type: "counter", help: "Runs evaluated by the drift detectors." },
  causeway_collector_drift_failures_total: {
    type: "counter",
    help: "Drift evaluations that failed (logged; retried on the run's next change).",
  },
  causeway_collector_drift_points_raised_total: { type: "counter", help: "Drift points that appeared or became more severe." },
  causeway_collector_drift_dropped_total: {
    type: "counter",
    help: "Run changes not evaluated because too many runs were waiting.",
  },
  causeway_collector_drift_pending_runs: { type: "gauge", help: "Runs waiting for a drift evaluation." },
  causeway_collector_drift_evaluation_duration_seconds: {
    type: "histogram",
    help: "Duration of a drift evaluation call (up to 64 runs loaded and evaluated together).",
    buckets: SECONDS_BUCKETS,
  },
} as const satisfies Record<string, MetricSpec>;
