/**
 * `npx tsx bench/run-detail.ts` — the run API's work on big runs, stage by stage,
 * without the browser: a 10,000-span and a 100,000-span run (bench/ui-seed.ts
 * bigRunRequests) sent as real OTLP through the collector into a fresh Postgres
 * database, then for each, what GET /api/v1/runs/{id} does:
 *   - getRunDetailWire (the repository: steps, causal edges, drift points in the wire
 *     columns), p50 of 5, and JSON.stringify;
 *   - the payload raw and gzipped (and the time gzip takes, as the web server spends it);
 *   - the browser's share, in Node: JSON.parse + runDetailResponse (validate + decode).
 *
 * Database server: BENCH_DATABASE_URL or TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
 * BENCH_KEEP_DB=1 keeps the database (its URL is printed); BENCH_REUSE_DB=<url> measures one kept before.
 */
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { createPrisma } from "@/lib/server/db/prisma";
import { getRunDetailWire } from "@/lib/server/repositories/run-detail";
import { runDetailResponse } from "@/lib/api/run-detail-wire";
import { bigRunRequests } from "@/bench/ui-seed";
import { startCollector } from "@/test/helpers/collector";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REUSE = process.env.BENCH_REUSE_DB;
const KEEP = process.env.BENCH_KEEP_DB === "1";
const SIZES = [10_000, 100_000];
const INGEST_KEY = `bench-ingest-${randomBytes(8).toString("hex")}`;

const log = (s: string) => console.log(s);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

async function ingest(url: string, size: number): Promise<string> {
  const collector = await startCollector(url, { CAUSEWAY_INGEST_KEY: INGEST_KEY }, { built: true });
  try {
    const t = performance.now();
    const { traceId, bodies } = bigRunRequests(size);
    for (const body of bodies) {
      const res = await fetch(`${collector.url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${INGEST_KEY}` },
        body: body as BodyInit,
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
    log(`sent a ${size.toLocaleString("en-US")}-span run through the collector in ${ms(performance.now() - t)}`);
    return traceId;
  } finally {
    await collector.stop();
  }
}

async function main() {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  const dbName = REUSE ? null : `causeway_bench_rd_${randomBytes(4).toString("hex")}`;
  if (dbName) await admin.query(`CREATE DATABASE ${dbName}`);
  const url = REUSE ?? Object.assign(new URL(BASE), { pathname: `/${dbName}` }).toString();
  try {
    await migrate(url);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const { rows: existing } = await pool.query<{ id: string; step_count: number }>(`SELECT id, step_count FROM runs`);
    const runs = new Map<number, string>();
    for (const size of SIZES) runs.set(size, existing.find((r) => r.step_count === size)?.id ?? (await ingest(url, size)));
    await pool.query("ANALYZE");
    const { rows: project } = await pool.query<{ id: string }>(`SELECT id FROM projects WHERE slug = 'default'`);
    await pool.end();

    const db = createPrisma(url, { max: 4 });
    log("\n  spans  getRunDetailWire p50  stringify | payload (gzip, gzip time) | JSON.parse  validate+decode");
    for (const size of SIZES) {
      const times: number[] = [];
      let detail = null;
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        detail = await getRunDetailWire(db, project[0]!.id, runs.get(size)!);
        if (i > 0) times.push(performance.now() - t);
      }
      const [text, stringifyMs] = timed(() => JSON.stringify(detail));
      const [gz, gzipMs] = timed(() => gzipSync(text));
      const [json, parseMs] = timed((): unknown => JSON.parse(text));
      const [decoded, decodeMs] = timed(() => runDetailResponse.parse(json));
      if (decoded.steps.length !== size || decoded.edges.length !== detail!.edges.from.length)
        throw new Error("decode lost data");
      log(
        `${size.toLocaleString("en-US").padStart(7)}  ${ms(median(times)).padStart(20)}  ${ms(stringifyMs).padStart(9)} | ` +
          `${(text.length / 1e6).toFixed(2)} MB (${(gz.length / 1e6).toFixed(2)} MB, ${ms(gzipMs)}) | ${ms(parseMs).padStart(10)}  ${ms(decodeMs).padStart(15)}`,
      );
    }
    await db.$disconnect();
  } finally {
    if (dbName && !KEEP) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    else log(`\ndatabase kept: ${url}`);
    await admin.end();
  }
}

await main();
