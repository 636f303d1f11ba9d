/** Prometheus text exposition of counters and gauges (format 0.0.4). */
export type Metrics = { inc(name: string, by?: number): void; set(name: string, value: number): void; render(): string };

export function createMetrics(help: Record<string, { type: "counter" | "gauge"; help: string }>): Metrics {
  const values = new Map<string, number>(Object.keys(help).map((k) => [k, 0]));
  return {
    inc: (name, by = 1) => values.set(name, (values.get(name) ?? 0) + by),
    set: (name, value) => values.set(name, value),
    render() {
      values.set("causeway_collector_resident_memory_bytes", process.memoryUsage().rss);
      values.set("causeway_collector_uptime_seconds", Math.round(process.uptime()));
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
  causeway_collector_resident_memory_bytes: { type: "gauge", help: "Resident set size of the collector process." },
  causeway_collector_uptime_seconds: { type: "gauge", help: "Seconds since the collector started." },
} as const;
