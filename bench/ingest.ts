/**
 * `npm run bench:ingest` — ingest throughput, latency and memory, end to end:
 * realistic agent spans over OTLP/HTTP (protobuf) from concurrent exporters to a real
 * collector process, stored in a real Postgres; and, on the same schema in the same
 * run, the raw COPY rate of the same step rows for comparison.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server on which a fresh
 * database is created and dropped), default postgresql://postgres@127.0.0.1:5432/postgres.
 * Sizes: BENCH_SPANS (default 150000) spans of ~1.2 KB; BENCH_HEAVY_SPANS (default 30000) of ~12 KB;
 * BENCH_HISTORY_SPANS (default 30000) of conversations sent whole (each model call carries the history so far).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import pg from "pg";
import { copyStepLines, stepCopyLine } from "@/collector/store/step-rows";
import { migrate } from "@/lib/server/db/migrate";
import { createPrisma } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { createRedactor } from "@/lib/ingest/redact";
import { decodeTracesProtobuf } from "@/collector/decode/protobuf";
import { normalizeBatch } from "@/collector/normalize/normalize";
import type { StepRow } from "@/collector/normalize/batch";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { agentRequest, type GeneratedRequest } from "@/bench/otlp-gen";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SMALL_SPANS = Number(process.env.BENCH_SPANS ?? 150_000);
const HEAVY_SPANS = Number(process.env.BENCH_HEAVY_SPANS ?? 30_000);
const HISTORY_SPANS = Number(process.env.BENCH_HISTORY_SPANS ?? 30_000);
const REQUEST_SPANS = 512;
const CONCURRENCY = 8;

type Phase = { spans: number; seconds: number; latencies: number[]; statuses: Map<number, number>; peakRssMiB: number };

async function main() {
  const dbName = `causeway_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = Object.assign(new URL(BASE), { pathname: `/${dbName}` }).toString();
  let collector: RunningCollector | undefined;
  try {
    await migrate(url);
    const prisma = createPrisma(url, { max: 2 });
    const project = await prisma.project.findUniqueOrThrow({ where: { slug: "default" } });
    const { key } = await createApiKey(prisma, { projectId: project.id, name: "bench", scopes: ["ingest"] });
    await prisma.$disconnect();
    const headers = { "content-type": "application/x-protobuf", authorization: `Bearer ${key}` };
    const sql = new pg.Pool({ connectionString: url, max: 4 });

    collector = running = await startCollector(url, { CAUSEWAY_LOG_LEVEL: "warn" }, { built: true });
    log(`database ${dbName} on ${new URL(BASE).host}; collector pid ${collector.pid}; ${CONCURRENCY} concurrent exporters`);

    const small = Array.from({ length: Math.ceil(SMALL_SPANS / REQUEST_SPANS) }, () =>
      agentRequest(REQUEST_SPANS, { contentBytes: 0 }),
    );
    log(`generated ${small.length} requests, ${(avgBytes(small) / 1024).toFixed(2)} KB/span (protobuf)`);
    await runPhase(collector, headers, small.slice(0, 10), CONCURRENCY); // warm-up (JIT, connections)

    const probes: number[] = [];
    const a = await runPhase(collector, headers, small.slice(10), CONCURRENCY, async (req) => {
      if (probes.length < 50 && Math.random() < 0.2) probes.push(await timeToQueryable(sql, project.id, req));
    });
    const rateA = a.spans / a.seconds;
    report("1.2 KB spans, max rate", a, rateA);
    log(
      `  ack -> queryable      p50 ${pct(probes, 50).toFixed(1)} ms  p95 ${pct(probes, 95).toFixed(1)} ms  (n=${probes.length})`,
    );

    const heavy = Array.from({ length: Math.ceil(HEAVY_SPANS / 128) }, () => agentRequest(128, { contentBytes: 5800 }));
    log(`generated ${heavy.length} heavy requests, ${(avgBytes(heavy) / 1024).toFixed(2)} KB/span`);
    const b = await runPhase(collector, headers, heavy, CONCURRENCY);
    report("12 KB spans, max rate", b, b.spans / b.seconds);

    const whole = Array.from({ length: Math.ceil(HISTORY_SPANS / REQUEST_SPANS) }, () =>
      agentRequest(REQUEST_SPANS, { contentBytes: 0, fullHistory: true }),
    );
    log(`generated ${whole.length} requests of whole conversations, ${(avgBytes(whole) / 1024).toFixed(2)} KB/span`);
    const h = await runPhase(collector, headers, whole, CONCURRENCY);
    report("whole conversations, max rate", h, h.spans / h.seconds);

    const half = Array.from({ length: 60 }, () => agentRequest(REQUEST_SPANS, { contentBytes: 0 }));
    const c = await runPhase(collector, headers, half, 2, undefined, rateA / 2);
    report("1.2 KB spans at half load", c, c.spans / c.seconds);

    const copyRate = await rawCopyRate(url, small.slice(10, 10 + Math.min(small.length - 10, 120)));
    log(`\nraw COPY of the same step rows into a copy of the steps table: ${fmt(copyRate)} rows/s`);
    log(`collector end-to-end / raw COPY: ${((rateA / copyRate) * 100).toFixed(0)} %`);
    await collector.stop();

    // Overload: a small queue and twice the sustainable rate.
    collector = running = await startCollector(
      url,
      { CAUSEWAY_LOG_LEVEL: "error", CAUSEWAY_INGEST_MAX_QUEUED_SPANS: "4096" },
      { built: true },
    );
    const over = Array.from({ length: 120 }, () => agentRequest(REQUEST_SPANS, { contentBytes: 0 }));
    const refused: number[] = [];
    const d = await runPhase(collector, headers, over, 32, undefined, rateA * 2, (status, ms) => {
      if (status === 429 || status === 503) refused.push(ms);
    });
    log(
      `\noverload at 2x (${fmt(rateA * 2)} spans/s offered, queue 4096 spans): ${refused.length} of ${over.length} requests refused`,
    );
    if (refused.length)
      log(`  refusal latency       p50 ${pct(refused, 50).toFixed(1)} ms  p99 ${pct(refused, 99).toFixed(1)} ms`);
    log(`  peak RSS              ${d.peakRssMiB.toFixed(0)} MiB`);
    await sql.end();
  } finally {
    await collector?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function runPhase(
  collector: RunningCollector,
  headers: Record<string, string>,
  requests: GeneratedRequest[],
  concurrency: number,
  afterAck?: (req: GeneratedRequest) => Promise<void>,
  spansPerSecond?: number,
  onStatus?: (status: number, ms: number) => void,
): Promise<Phase> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  let spans = 0;
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(collector.pid))), 50);
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= requests.length) return;
      const req = requests[i]!;
      if (spansPerSecond) {
        const due = started + ((i * req.spans) / spansPerSecond) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const t = performance.now();
      const res = await post(`${collector.url}/v1/traces`, headers, req.body);
      const ms = performance.now() - t;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      onStatus?.(res.status, ms);
      if (res.status === 200) {
        latencies.push(ms);
        spans += req.spans;
        await afterAck?.(req);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  clearInterval(rssTimer);
  return {
    spans,
    seconds: (performance.now() - started) / 1000,
    latencies,
    statuses,
    peakRssMiB: Math.max(peakRss, rssMiB(collector.pid)),
  };
}

/**
 * OTLP/HTTP exporters post with node:http and a keep-alive agent (@opentelemetry/otlp-exporter-base), and so does
 * the benchmark: on the same two cores as the collector, fetch's own CPU (a tenth of the machine at full rate) was
 * taken from the system measured.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": body.byteLength } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function timeToQueryable(sql: pg.Pool, projectId: string, req: GeneratedRequest): Promise<number> {
  const t = performance.now();
  for (;;) {
    // By primary key (without the project, the probe scanned the steps table: database time taken from the ingest).
    const { rowCount } = await sql.query(`SELECT 1 FROM steps WHERE project_id = $1 AND run_id = $2 AND span_id = $3`, [
      projectId,
      req.probe.traceId,
      req.probe.spanId,
    ]);
    if (rowCount) return performance.now() - t;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The same step rows the collector would write, COPYed into an identical empty table (same columns, indexes). */
async function rawCopyRate(url: string, requests: GeneratedRequest[]): Promise<number> {
  const opts = { redact: createRedactor(["secrets", "emails", "cards"]), maxValueBytes: 65536 };
  const rows: StepRow[] = requests.flatMap(
    (r) => normalizeBatch("00000000-0000-0000-0000-000000000000", decodeTracesProtobuf(r.body).spans, opts).steps,
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_steps_copy (LIKE steps INCLUDING DEFAULTS INCLUDING INDEXES)`);
    const lines = rows.map((r) => stepCopyLine("00000000-0000-0000-0000-000000000000", r));
    const t = performance.now();
    await copyStepLines(client, "bench_steps_copy", lines);
    return rows.length / ((performance.now() - t) / 1000);
  } finally {
    await client.query(`DROP TABLE IF EXISTS bench_steps_copy`);
    await client.end();
  }
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function report(title: string, p: Phase, rate: number) {
  const statuses = [...p.statuses].map(([s, n]) => `${s}×${n}`).join(" ");
  log(`\n${title}: ${fmt(p.spans)} spans committed in ${p.seconds.toFixed(1)} s`);
  log(`  committed             ${fmt(rate)} spans/s`);
  log(
    `  request latency       p50 ${pct(p.latencies, 50).toFixed(1)} ms  p99 ${pct(p.latencies, 99).toFixed(1)} ms  (${statuses})`,
  );
  log(`  collector peak RSS    ${p.peakRssMiB.toFixed(0)} MiB`);
}

const avgBytes = (reqs: GeneratedRequest[]) =>
  reqs.reduce((s, r) => s + r.body.length, 0) / reqs.reduce((s, r) => s + r.spans, 0);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const log = (s: string) => process.stdout.write(s + "\n");
function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

let running: RunningCollector | undefined;
main().catch((error: unknown) => {
  if (running) process.stderr.write(`collector log:\n${running.logs.join("").slice(-4000)}\n`);
  const cause = (error as { cause?: unknown }).cause;
  process.stderr.write(
    `bench failed: ${error instanceof Error ? error.stack : String(error)}${cause ? `\ncause: ${String(cause)}` : ""}\n`,
  );
  process.exit(1);
});
