/**
 * `npx tsx bench/control.ts` — live control latency under ingest load.
 *
 * A real collector process serves the agent channel and ingests spans; a second process
 * sends realistic OTLP load at ~80 % of the rate this collector sustains (measured first);
 * this process plays the web app (commands go through the real route handler, as a
 * request to Next would) and the agents (real control clients, each in a loop of
 * checkpoint -> a model call that takes a while and receives the control signal).
 * For each of BENCH_KILLS (default 220) runs it measures, from the moment the kill
 * request starts: seen (the client's state changed), halted (the in-flight call was
 * aborted by the signal or a checkpoint threw), and the REST answer (202).
 * Then the cost of checkpoint() while running.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created on that
 * server and dropped), default postgresql://postgres@127.0.0.1:5432/postgres;
 * BENCH_DB=embedded uses the embedded PGlite instead.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded";
import { createPrisma } from "@/lib/server/db/prisma";
import { createApiKey } from "@/lib/server/repositories/api-keys";
import { startCollector, type RunningCollector } from "@/test/helpers/collector";
import { agentRequest } from "@/bench/otlp-gen";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const KILLS = Number(process.env.BENCH_KILLS ?? 220);
const BATCH = 20; // agents alive at once
const KILL_SPACING_MS = 40;
const LOAD_SHARE = Number(process.env.BENCH_LOAD_SHARE ?? 0.8);
const ADMIN_TOKEN = "bench-control-admin-token-0123";

const log = (s: string) => process.stdout.write(`${s}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const line = (label: string, xs: number[]) =>
  log(
    `  ${label.padEnd(28)} p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms   p99 ${pct(xs, 99).toFixed(1).padStart(6)} ms   max ${Math.max(...xs).toFixed(1)} ms  (n=${xs.length})`,
  );

async function main() {
  const db = await openDatabase();
  let collector: RunningCollector | undefined;
  let load: ReturnType<typeof startLoad> | undefined;
  const model = await slowModelServer();
  try {
    await migrate(db.url);
    Object.assign(process.env, { DATABASE_URL: db.url, CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN, CAUSEWAY_LOG_LEVEL: "warn" });
    const prisma = createPrisma(db.url, { max: 2 });
    const project = await prisma.project.findUniqueOrThrow({ where: { slug: "default" } });
    const ingestKey = (await createApiKey(prisma, { projectId: project.id, name: "bench-agent", scopes: ["ingest"] })).key;
    await prisma.$disconnect();
    collector = await startCollector(db.url, { CAUSEWAY_LOG_LEVEL: "warn" }, { built: true });
    log(`database ${db.label}; collector pid ${collector.pid}`);

    const rate = await sustainableRate(collector.url, ingestKey);
    log(`sustainable ingest rate ~${Math.round(rate)} spans/s; load during the kills: ${Math.round(rate * LOAD_SHARE)} spans/s`);
    load = startLoad(collector.url, ingestKey, rate * LOAD_SHARE);
    await sleep(1500); // let the load settle
    const probe = await dbRoundTrips(db.url);

    const { POST } = await import("@/app/api/v1/runs/[runId]/control/route");
    const { connectControl, isRunKilled } = await import("@/lib/agent");
    const kill = (runId: string) =>
      POST(
        new Request(`http://localhost/api/v1/runs/${runId}/control`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ action: "kill", reason: "benchmark" }),
        }),
        { params: Promise.resolve({ runId }) },
      );

    const seen: number[] = [];
    const halted: number[] = [];
    const answered: number[] = [];
    const committed: number[] = [];
    let missed = 0;
    // When the command's notification reaches a listener here: about when it was committed.
    const notified = new Map<string, number>();
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on("notification", (n) => {
      const notice = JSON.parse(n.payload ?? "{}") as { r?: string; w?: string };
      if (notice.r && notice.w === "state" && !notified.has(notice.r)) notified.set(notice.r, performance.now());
    });
    await listener.query("LISTEN causeway_control");
    // Warm-up: the route module, Prisma, the collector's pools.
    for (let i = 0; i < 3; i++) {
      const runId = randomBytes(16).toString("hex");
      const c = await connectControl({ endpoint: collector.url, apiKey: ingestKey, runId, serviceName: "bench-agent" });
      await kill(runId);
      await c.close();
    }

    for (let done = 0; done < KILLS; done += BATCH) {
      const n = Math.min(BATCH, KILLS - done);
      const agents = await Promise.all(
        Array.from({ length: n }, async () => {
          const runId = randomBytes(16).toString("hex");
          const control = await connectControl({
            endpoint: collector!.url,
            apiKey: ingestKey,
            runId,
            serviceName: "bench-agent",
          });
          const t = { start: 0, seen: 0, halted: 0 };
          control.onChange((s) => {
            if (s.desired === "killed" && !t.seen) t.seen = performance.now();
          });
          // The agent: checkpoint, then a model call that takes 2 s unless the kill aborts it.
          const loop = (async () => {
            try {
              for (;;) {
                await control.checkpoint();
                await fetch(model.url, { signal: control.signal }).then((r) => r.text());
              }
            } catch (error) {
              if (isRunKilled(error) || control.signal.aborted) t.halted ||= performance.now();
              else throw error;
            }
          })();
          return { runId, control, t, loop };
        }),
      );
      await sleep(100); // every agent is inside its model call
      for (const a of agents) {
        a.t.start = performance.now();
        void kill(a.runId).then((res) => {
          answered.push(performance.now() - a.t.start);
          if (res.status !== 202) throw new Error(`kill answered ${res.status}`);
        });
        await sleep(KILL_SPACING_MS);
      }
      await Promise.race([Promise.all(agents.map((a) => a.loop)), sleep(5000)]);
      for (const a of agents) {
        if (!a.t.seen || !a.t.halted) missed++;
        else {
          seen.push(a.t.seen - a.t.start);
          halted.push(a.t.halted - a.t.start);
          const n = notified.get(a.runId);
          if (n) committed.push(n - a.t.start);
        }
        await a.control.close();
      }
    }
    await listener.end();
    const loadResult = await load.stop();
    load = undefined;
    log(
      `\n${seen.length} kills (${missed} not seen within 5 s) while ingest ran at ${Math.round(loadResult.spansPerSecond)} spans/s (${loadResult.statuses})`,
    );
    line("request -> client saw it", seen);
    line("request -> agent halted", halted);
    line("request -> REST 202", answered);
    line("request -> NOTIFY heard here", committed);
    line("(one SELECT 1 round trip)", probe);

    await checkpointCost(connectControl, collector.url, ingestKey);
  } finally {
    await load?.stop().catch(() => {});
    await collector?.stop();
    model.server.close();
    const { getDb } = await import("@/lib/server/db");
    await getDb()
      .$disconnect()
      .catch(() => {});
    await db.close();
  }
}

async function checkpointCost(connect: typeof import("@/lib/agent").connectControl, endpoint: string, apiKey: string) {
  const measure = async (label: string) => {
    const c = await connect({ endpoint, apiKey, runId: randomBytes(16).toString("hex") });
    const N = 5_000_000;
    let best = Infinity;
    let bestAwait = Infinity;
    for (let round = 0; round < 5; round++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < N; i++) void c.checkpoint();
      best = Math.min(best, Number(process.hrtime.bigint() - t) / N);
      t = process.hrtime.bigint();
      for (let i = 0; i < N / 10; i++) await c.checkpoint();
      bestAwait = Math.min(bestAwait, Number(process.hrtime.bigint() - t) / (N / 10));
    }
    log(`  ${label.padEnd(44)} ${best.toFixed(1)} ns/op (awaited: ${bestAwait.toFixed(1)} ns/op)`);
    await c.close();
  };
  log("\ncheckpoint() while running:");
  await measure("no OpenTelemetry context manager");
  const { context } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  await measure("with the AsyncLocalStorage context manager");
}

/** How long one trivial query takes under the load: the floor under every step of a command. */
async function dbRoundTrips(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const out: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await client.query("SELECT 1");
    out.push(performance.now() - t);
    await sleep(5);
  }
  await client.end();
  return out;
}

/** Spans/s a collector takes with 8 exporters sending 512-span requests as fast as it answers. */
async function sustainableRate(url: string, key: string): Promise<number> {
  const requests = Array.from({ length: 48 }, () => agentRequest(512, { contentBytes: 0 }));
  let next = 0;
  let spans = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const res = await fetch(`${url}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${key}` },
          body: requests[i]!.body as BodyInit,
        });
        await res.arrayBuffer();
        if (res.ok) spans += requests[i]!.spans;
      }
    }),
  );
  return spans / ((performance.now() - started) / 1000);
}

/** The load runs in its own process, so it does not share this process's event loop with the clients. */
function startLoad(url: string, key: string, spansPerSecond: number) {
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, "--load", url, key, String(spansPerSecond)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  return {
    async stop(): Promise<{ spansPerSecond: number; statuses: string }> {
      const exited = new Promise((r) => child.once("exit", r));
      child.stdin!.end();
      await exited;
      return JSON.parse(out || '{"spansPerSecond":0,"statuses":"?"}') as { spansPerSecond: number; statuses: string };
    },
  };
}

async function loadMain(url: string, key: string, spansPerSecond: number) {
  const pool = Array.from({ length: 40 }, () => agentRequest(256, { contentBytes: 0 }));
  const statuses = new Map<number, number>();
  let spans = 0;
  let i = 0;
  const started = performance.now();
  process.stdin
    .on("end", () => {
      const seconds = (performance.now() - started) / 1000;
      const summary = [...statuses].map(([s, n]) => `${n}x ${s}`).join(", ");
      process.stdout.write(JSON.stringify({ spansPerSecond: spans / seconds, statuses: summary }), () => process.exit(0));
    })
    .resume();
  const worker = async () => {
    for (;;) {
      const n = i++;
      const due = started + ((n * 256) / spansPerSecond) * 1000;
      if (due > performance.now()) await sleep(due - performance.now());
      const res = await fetch(`${url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${key}` },
        body: pool[n % pool.length]!.body as BodyInit,
      }).catch(() => null);
      await res?.arrayBuffer();
      const status = res?.status ?? 0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) spans += 256;
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/** A "model" that answers after 2 s: the agents' in-flight call, aborted by the kill. */
async function slowModelServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    const t = setTimeout(() => res.end("{}"), 2000);
    res.on("close", () => clearTimeout(t));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server };
}

async function openDatabase(): Promise<{ url: string; label: string; close(): Promise<void> }> {
  if (process.env.BENCH_DB === "embedded") {
    const e = await startEmbeddedPostgres({ port: 0 });
    return { url: e.url, label: "embedded PGlite", close: () => e.stop() };
  }
  const name = `causeway_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = Object.assign(new URL(BASE), { pathname: `/${name}` }).toString();
  return {
    url,
    label: `${name} on ${new URL(BASE).host}`,
    async close() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[2] === "--load") void loadMain(process.argv[3]!, process.argv[4]!, Number(process.argv[5]));
else
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
