import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The collector's /metrics (Prometheus text format), on prom-client: counters, gauges, histograms, and the
 * standard process and Node.js metrics (CPU, memory, event-loop lag, GC) of the main thread.
 * Metrics are named once in a table (COLLECTOR_METRICS and the stages' own); recording an unnamed one is a bug.
 */
export type MetricSpec =
  | { type: "counter" | "gauge"; help: string }
  | { type: "histogram"; help: string; buckets: readonly number[]; labels?: readonly string[] };

export type Metrics = {
  inc(name: string, by?: number): void;
  set(name: string, value: number): void;
  /** One observation of a histogram (seconds for durations), with its labels if the histogram has any. */
  record(name: string, value: number, labels?: Record<string, string>): void;
  /** A gauge read when metrics are scraped. */
  observe(name: string, read: () => number): void;
  render(): Promise<string>;
};

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function createMetrics(specs: Record<string, MetricSpec>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter>();
  const gauges = new Map<string, Gauge>();
  const histograms = new Map<string, Histogram>();
  for (const [name, spec] of Object.entries(specs)) {
    const common = { name, help: spec.help, registers: [registry] };
    if (spec.type === "histogram")
      histograms.set(name, new Histogram({ ...common, buckets: [...spec.buckets], labelNames: [...(spec.labels ?? [])] }));
    else if (spec.type === "counter") counters.set(name, new Counter(common));
    else gauges.set(name, new Gauge(common));
  }
  const known = <T>(kind: string, map: Map<string, T>, name: string): T => {
    const metric = map.get(name);
    if (!metric) throw new Error(`no ${kind} named ${name} in the metrics table`);
    return metric;
  };
  const rss = known("gauge", gauges, "causeway_collector_resident_memory_bytes");
  const uptime = known("gauge", gauges, "causeway_collector_uptime_seconds");
  const observed = new Map<string, () => number>();
  return {
    inc: (name, by = 1) => known("counter", counters, name).inc(by),
    set: (name, value) => known("gauge", gauges, name).set(value),
    record: (name, value, labels) => known("histogram", histograms, name).observe(labels ?? {}, value),
    observe: (name, read) => observed.set(name, read),
    render() {
      rss.set(process.memoryUsage().rss);
      uptime.set(Math.round(process.uptime()));
      for (const [name, read] of observed) known("gauge", gauges, name).set(read());
      return registry.metrics();
    },
  };
}

/** Buckets for durations in seconds, 1 ms to 10 s. */
export const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const COLLECTOR_METRICS = {
  causeway_collector_spans_received_total: { type: "counter", help: "Spans received in export requests." },
  causeway_collector_spans_accepted_total: { type: "counter", help: "Spans acknowledged (committed) to exporters." },
  causeway_collector_spans_rejected_total: { type: "counter", help: "Spans rejected as invalid (partial success)." },
  causeway_collector_spans_stored_total: { type: "counter", help: "Spans newly stored." },
  causeway_collector_spans_duplicate_total: { type: "counter", help: "Redelivered spans that were already stored." },
  causeway_collector_bytes_queued: {
    type: "gauge",
    help: "Bytes of request bodies taken and not yet answered.",
  },
  causeway_collector_spans_queued: {
    type: "gauge",
    help: "Spans taken and not yet written (those of requests still being decoded estimated from their size).",
  },
  causeway_collector_batches_committed_total: { type: "counter", help: "Database transactions committed." },
  causeway_collector_batch_spans: {
    type: "histogram",
    help: "Spans (and GenAI log events) written per database transaction.",
    buckets: [1, 8, 32, 128, 512, 1024, 2048, 4096, 8192],
  },
  causeway_collector_commit_duration_seconds: {
    type: "histogram",
    help: "Duration of a batch's write, from taking a connection to COMMIT.",
    buckets: SECONDS_BUCKETS,
  },
  causeway_collector_request_duration_seconds: {
    type: "histogram",
    help: "Export requests, from arrival to answer, by signal (traces, logs) and HTTP status.",
    buckets: SECONDS_BUCKETS,
    labels: ["signal", "code"],
  },
  causeway_collector_throttled_total: { type: "counter", help: "Requests refused with 429 (overloaded)." },
  causeway_collector_unavailable_total: { type: "counter", help: "Requests refused with 503 (database unavailable)." },
  causeway_collector_log_records_received_total: { type: "counter", help: "Log records received." },
  causeway_collector_log_records_dropped_total: { type: "counter", help: "Log records dropped: not GenAI message events." },
  causeway_collector_log_records_rejected_total: {
    type: "counter",
    help: "GenAI event log records rejected as unusable (partial success).",
  },
  causeway_collector_log_events_stored_total: { type: "counter", help: "GenAI events (sent as logs) newly stored." },
  causeway_collector_log_events_duplicate_total: {
    type: "counter",
    help: "Redelivered GenAI events (sent as logs) that were already stored.",
  },
  causeway_collector_steps_updated_from_logs_total: {
    type: "counter",
    help: "Steps whose messages were filled in from GenAI events sent as logs.",
  },
  causeway_collector_resident_memory_bytes: { type: "gauge", help: "Resident set size of the collector process." },
  causeway_collector_uptime_seconds: { type: "gauge", help: "Seconds since the collector started." },
} as const satisfies Record<string, MetricSpec>;
