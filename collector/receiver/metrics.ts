/** Prometheus text exposition of counters and gauges (format 0.0.4). */
export type Metrics = {
  inc(name: string, by?: number): void;
  set(name: string, value: number): void;
  /** A gauge read when metrics are scraped. */
  observe(name: string, read: () => number): void;
  render(): string;
};

export function createMetrics(help: Record<string, { type: "counter" | "gauge"; help: string }>): Metrics {
  const values = new Map<string, number>(Object.keys(help).map((k) => [k, 0]));
  const observed = new Map<string, () => number>();
  return {
    observe: (name, read) => observed.set(name, read),
    inc: (name, by = 1) => values.set(name, (values.get(name) ?? 0) + by),
    set: (name, value) => values.set(name, value),
    render() {
      values.set("causeway_collector_resident_memory_bytes", process.memoryUsage().rss);
      values.set("causeway_collector_uptime_seconds", Math.round(process.uptime()));
      for (const [name, read] of observed) values.set(name, read());
      return (
        [...values]
          .map(([name, v]) => {
            const h = help[name];
            return `${h ? `# HELP ${name} ${h.help}\n# TYPE ${name} ${h.type}\n` : ""}${name} ${v}`;
          })
          .join("\n") + "\n"
      );
    },
  };
}

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
  causeway_collector_last_batch_spans: { type: "gauge", help: "Spans in the last committed batch." },
  causeway_collector_last_commit_ms: { type: "gauge", help: "Duration of the last commit in milliseconds." },
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
} as const;
