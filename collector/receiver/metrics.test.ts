import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { COLLECTOR_METRICS, createMetrics, type MetricSpec } from "@/collector/receiver/metrics";
import { DRIFT_METRICS } from "@/collector/drift/metrics";
import { POLICY_METRICS } from "@/collector/policy/enforce";

const ALL: Record<string, MetricSpec> = { ...COLLECTOR_METRICS, ...DRIFT_METRICS, ...POLICY_METRICS };

test("counters, gauges, labelled histograms and scrape-time gauges render in the Prometheus text format", async () => {
  const metrics = createMetrics(ALL);
  metrics.inc("causeway_collector_spans_accepted_total", 3);
  metrics.inc("causeway_collector_spans_accepted_total");
  metrics.record("causeway_collector_batch_spans", 500);
  metrics.record("causeway_collector_batch_spans", 3000);
  metrics.record("causeway_collector_request_duration_seconds", 0.02, { signal: "traces", code: "200" });
  let queued = 7;
  metrics.observe("causeway_collector_spans_queued", () => queued);
  queued = 9;
  const text = await metrics.render();
  assert.match(text, /^# TYPE causeway_collector_spans_accepted_total counter$/m);
  assert.match(text, /^causeway_collector_spans_accepted_total 4$/m);
  assert.match(text, /^causeway_collector_spans_queued 9$/m, "read when scraped, not when registered");
  assert.match(text, /^# TYPE causeway_collector_batch_spans histogram$/m);
  assert.match(text, /^causeway_collector_batch_spans_bucket\{le="512"\} 1$/m);
  assert.match(text, /^causeway_collector_batch_spans_bucket\{le="4096"\} 2$/m);
  assert.match(text, /^causeway_collector_batch_spans_sum 3500$/m);
  assert.match(text, /^causeway_collector_request_duration_seconds_bucket\{le="0.025",signal="traces",code="200"\} 1$/m);
  assert.match(text, /^causeway_collector_resident_memory_bytes [1-9]\d*$/m);
  assert.match(text, /^process_resident_memory_bytes [1-9]/m, "the standard process metrics come along");
});

test("recording a metric that is not in the table is an error, not a silent new series", () => {
  const metrics = createMetrics(ALL);
  assert.throws(() => metrics.inc("causeway_collector_typo_total"), /no counter named causeway_collector_typo_total/);
  assert.throws(() => metrics.record("causeway_collector_spans_accepted_total", 1), /no histogram/);
});

test("every metric the collector records is in the table, with the kind it is recorded as", () => {
  const root = path.resolve(import.meta.dirname, "..");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  const kinds: Record<string, MetricSpec["type"]> = { inc: "counter", set: "gauge", observe: "gauge", record: "histogram" };
  const uses: string[] = [];
  for (const file of files) {
    const source = readFileSync(path.join(root, file), "utf8");
    for (const m of source.matchAll(/\.(inc|set|observe|record)\(\s*"(causeway_[a-z_]+)"/g)) {
      uses.push(m[2]!);
      assert.equal(ALL[m[2]!]?.type, kinds[m[1]!], `${file}: ${m[1]}("${m[2]}")`);
    }
    // A ternary between two names, as the receiver uses for 429/503.
    for (const m of source.matchAll(/\.inc\([^;]*?\?\s*"(causeway_[a-z_]+)"\s*:\s*"(causeway_[a-z_]+)"/g))
      for (const name of [m[1]!, m[2]!]) assert.equal(ALL[name]?.type, "counter", `${file}: ${name}`);
  }
  assert.ok(uses.length >= 20, `found ${uses.length} uses: the scan still sees the collector's sources`);
});
