import { parentPort } from "node:worker_threads";
import pg from "pg";
import { createLogger } from "@/lib/log";
import { parseCollectorEnv } from "@/collector/env";
import { createPipeline } from "@/collector/pipeline";
import { toWire, type FromWorker, type ToWorker } from "@/collector/ingest/protocol";
import type { Metrics } from "@/collector/receiver/metrics";

/**
 * The ingest worker thread: decode -> normalize -> store for the bodies the main thread
 * received (collector/pipeline.ts), with its own database connections. It reports each
 * request's outcome, the store queue's depth (the receiver refuses early when it is full),
 * metric changes and the runs each commit changed (the drift stage on the main thread).
 */
const port = parentPort;
if (!port) throw new Error("collector/ingest/worker.ts runs as a worker thread (collector/ingest/client.ts)");
const post = (m: FromWorker) => port.postMessage(m);

const env = parseCollectorEnv();
const log = createLogger("collector", env.CAUSEWAY_LOG_LEVEL);
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 6, connectionTimeoutMillis: 5000 });
pool.on("error", (error) => log.warn("database connection error", { error: error.message }));
const metrics = forwardingMetrics(post);
const pipeline = createPipeline(pool, env, log, metrics, (runs) => post({ t: "committed", runs }));

let reported = -1;
const reportQueued = () => {
  const spans = pipeline.queued();
  if (spans !== reported) post({ t: "queued", spans: (reported = spans) });
};

// One request per turn of the event loop: a port delivers every message waiting in one go, and decoding and
// normalizing eight 512-span requests back to back held the thread for ~150 ms, during which the open
// transactions' replies from Postgres waited (their wall time, and so the collector's throughput, doubled).
const inbox: ToWorker[] = [];
port.on("message", (m: ToWorker) => {
  if (inbox.push(m) === 1) setImmediate(next);
});

function next(): void {
  const m = inbox.shift();
  if (inbox.length > 0) setImmediate(next);
  if (m) handle(m);
}

/** Requests taken and not answered yet: a close waits for them (a large one is normalized over several turns). */
const taken = new Set<Promise<unknown>>();

function handle(m: ToWorker): void {
  if (m.t === "close") {
    void Promise.allSettled(taken)
      .then(() => pipeline.close())
      .then(() => pool.end())
      .finally(() => {
        metrics.flush();
        post({ t: "closed" });
      });
    return;
  }
  // The closures below hold the id only: the message (and its body) is let go once decoded.
  const { id } = m;
  const decoded = (items: number) => post({ t: "decoded", id, items });
  const work =
    m.signal === "traces"
      ? pipeline.traces(m.projectId, m.format, m.body, decoded)
      : pipeline.logs(m.projectId, m.format, m.body, decoded);
  taken.add(work);
  // Metrics and the queue's size first: a port keeps the order of messages, so whoever learns of the answer finds
  // its counts recorded and its spans no longer queued.
  work
    .then(
      (outcome) => {
        metrics.flush();
        reportQueued();
        post({ t: "done", id, outcome });
      },
      (error: unknown) => {
        metrics.flush();
        reportQueued();
        post({ t: "failed", id, error: toWire(error) });
      },
    )
    .finally(() => taken.delete(work));
}

/** Metrics recorded here, sent to the main thread's registry (which renders /metrics) in one message per request. */
function forwardingMetrics(send: (m: FromWorker) => void): Metrics & { flush(): void } {
  let inc: Record<string, number> = {};
  let set: Record<string, number> = {};
  let record: [string, number][] = [];
  let dirty = false;
  return {
    inc(name, by = 1) {
      inc[name] = (inc[name] ?? 0) + by;
      dirty = true;
    },
    set(name, value) {
      set[name] = value;
      dirty = true;
    },
    record(name, value, labels) {
      if (labels) throw new Error("labelled histograms live on the main thread");
      record.push([name, value]);
      dirty = true;
    },
    observe() {
      throw new Error("gauges read at scrape time live on the main thread");
    },
    render: () => Promise.resolve(""),
    flush() {
      if (!dirty) return;
      send({ t: "metrics", inc, set, record });
      inc = {};
      set = {};
      record = [];
      dirty = false;
    },
  };
}
