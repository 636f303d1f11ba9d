/**
 * `npm run bench:ui` — the run explorer at scale, measured the way a user meets it:
 * the real stack (`scripts/start.ts`: collector + production web build) on a fresh
 * Postgres database, a 10,000-span and a 100,000-span run sent as real OTLP through
 * the collector, 1,000,000 small runs in the runs table, then:
 *   - run-list API latency (first page, status filters, two sorts, deep keyset pages newest first and by
 *     tokens), p50/p95;
 *   - run API latency and payload size (raw and gzip) for both big runs;
 *   - time until the run page is interactive in Chromium, and time to select a step.
 * Targets (issue 4): list p95 ≤ 300 ms; 10k run interactive ≤ 1.5 s, 100k ≤ 5 s;
 * payload ≤ 5 MB for 10k spans; selecting a step ≤ 100 ms.
 *
 * Database server: BENCH_DATABASE_URL or TEST_DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/postgres.
 * BENCH_SMALL_RUNS (default 1000000) changes the run count.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { chromium } from "@playwright/test";
import { migrate } from "@/lib/server/db/migrate";
import { bigRunRequests, seedSmallRuns } from "@/bench/ui-seed";
import { encodeRunCursor } from "@/lib/runs/cursor";
import { freePort } from "@/test/helpers/collector";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SMALL_RUNS = Number(process.env.BENCH_SMALL_RUNS ?? 1_000_000);
const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString("hex")}`;
const INGEST_KEY = `bench-ingest-${randomBytes(8).toString("hex")}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const log = (s: string) => console.log(s);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const dbName = `causeway_bench_ui_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = Object.assign(new URL(BASE), { pathname: `/${dbName}` }).toString();
  const dataDir = mkdtempSync(path.join(tmpdir(), "causeway-bench-ui-"));
  let stack: ChildProcess | undefined;
  try {
    await migrate(url);
    const [webPort, collectorPort] = [await freePort(), await freePort()];
    const web = `http://127.0.0.1:${webPort}`;
    const collector = `http://127.0.0.1:${collectorPort}`;
    log(`database ${dbName} on ${new URL(BASE).host}; starting the stack (builds the web app if sources changed)…`);
    stack = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        CAUSEWAY_DATA_DIR: dataDir,
        CAUSEWAY_WEB_PORT: String(webPort),
        CAUSEWAY_COLLECTOR_PORT: String(collectorPort),
        CAUSEWAY_HOST: "127.0.0.1",
        CAUSEWAY_PUBLIC_URL: web,
        CAUSEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
        CAUSEWAY_INGEST_KEY: INGEST_KEY,
        CAUSEWAY_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
    });
    await waitFor(`${web}/api/health`, 600_000);
    await waitFor(`${collector}/healthz`, 60_000);

    const big: Record<string, string> = {};
    for (const size of [10_000, 100_000]) {
      const t = performance.now();
      const { traceId, bodies } = bigRunRequests(size);
      for (const body of bodies) {
        const res = await fetch(`${collector}/v1/traces`, {
          method: "POST",
          headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${INGEST_KEY}` },
          body: body as BodyInit,
        });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      }
      big[size] = traceId;
      log(`sent a ${size.toLocaleString("en-US")}-span run through the collector in ${ms(performance.now() - t)}`);
    }

    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM projects WHERE slug = 'default'`);
    let t = performance.now();
    await seedSmallRuns(pool, rows[0]!.id, SMALL_RUNS);
    const { rows: count } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM runs`);
    log(`seeded ${Number(count[0]!.n).toLocaleString("en-US")} runs in ${ms(performance.now() - t)}`);
    await pool.end();

    const api = async (p: string) => {
      const started = performance.now();
      const res = await fetch(`${web}${p}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok) throw new Error(`${p} answered ${res.status}: ${body.toString().slice(0, 300)}`);
      return { ms: performance.now() - started, body };
    };

    log("\nrun-list API (GET /api/v1/runs, 50 per page)");
    for (const [label, query] of [
      ["first page", "limit=50"],
      ["status=error", "limit=50&status=error"],
      ["status=live", "limit=50&status=live"],
      ["tokens desc", "limit=50&sort=tokens&order=desc"],
      ["duration asc", "limit=50&sort=duration&order=asc"],
    ] as const) {
      await api(`/api/v1/runs?${query}`);
      const times: number[] = [];
      for (let i = 0; i < 60; i++) times.push((await api(`/api/v1/runs?${query}`)).ms);
      log(`  ${label.padEnd(14)} p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}`);
    }
    const deep: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 60; i++) {
      const r = await api(`/api/v1/runs?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      deep.push(r.ms);
      cursor = (JSON.parse(r.body.toString()) as { nextCursor: string | null }).nextCursor;
    }
    log(`  ${"keyset pages".padEnd(14)} p50 ${ms(pct(deep, 50))}  p95 ${ms(pct(deep, 95))}  (60 consecutive pages)`);
    // Sorted keyset pages, deep in the list: 60 consecutive pages from the middle of the tokens order.
    const { rows: mid } = await (async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return await c.query<{ v: string; s: string; id: string }>(
          `SELECT total_tokens::text AS v, (extract(epoch FROM started_at) * 1000000)::bigint::text AS s, id FROM runs
           ORDER BY total_tokens DESC, id DESC OFFSET $1 LIMIT 1`,
          [Math.floor(SMALL_RUNS / 2)],
        );
      } finally {
        await c.end();
      }
    })();
    const sortedDeep: number[] = [];
    cursor = mid[0]
      ? encodeRunCursor({ sort: "tokens", order: "desc", value: BigInt(mid[0].v), startedUs: BigInt(mid[0].s), id: mid[0].id })
      : null;
    for (let i = 0; i < 60 && cursor; i++) {
      const r = await api(`/api/v1/runs?limit=50&sort=tokens&order=desc&cursor=${encodeURIComponent(cursor)}`);
      sortedDeep.push(r.ms);
      cursor = (JSON.parse(r.body.toString()) as { nextCursor: string | null }).nextCursor;
    }
    log(
      `  ${"tokens, deep".padEnd(14)} p50 ${ms(pct(sortedDeep, 50))}  p95 ${ms(pct(sortedDeep, 95))}  (60 consecutive pages from the middle)`,
    );

    log("\nrun API (GET /api/v1/runs/{id}: run, steps, causal edges, drift points)");
    for (const size of [10_000, 100_000]) {
      const times: number[] = [];
      let bytes = 0;
      let gz = 0;
      for (let i = 0; i < (size > 50_000 ? 4 : 10); i++) {
        const r = await api(`/api/v1/runs/${big[size]}`);
        if (i > 0) times.push(r.ms);
        bytes = r.body.length;
        gz = gzipSync(r.body).length;
      }
      log(
        `  ${size.toLocaleString("en-US").padStart(7)} spans  p50 ${ms(pct(times, 50))}  max ${ms(Math.max(...times))}  payload ${(bytes / 1e6).toFixed(2)} MB (${(gz / 1e6).toFixed(2)} MB gzip)`,
      );
    }

    log("\nrun page in Chromium (navigation start → graph and timeline drawn; then click on a step → selection painted)");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${web}/sign-in`);
    const signIn = await page.request.post(`${web}/api/auth/sign-in`, { data: { token: ADMIN_TOKEN }, headers: { origin: web } });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
    for (const size of [10_000, 100_000]) {
      const loads: number[] = [];
      const selects: number[] = [];
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        await page.goto(`${web}/runs/${big[size]}`);
        // Interactive: the run loaded and the decision graph laid out and drawn (layout runs in a worker).
        await page.locator('[data-run-ready="true"] svg[data-graph-ready="true"]').waitFor({ timeout: 120_000 });
        loads.push(performance.now() - t);
        // Click → the selection committed and painted (the next animation frame), measured in the page.
        const ids = await page
          .getByRole("table", { name: "Timeline" })
          .locator("[data-span-id]")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-span-id")));
        const selectMs = (await page.evaluate(`(async () => {
          const id = ${JSON.stringify(ids[6 + i])};
          const row = document.querySelector('[role=table][aria-label=Timeline] [data-span-id="' + id + '"]');
          const t = performance.now();
          row.click();
          await new Promise((resolve) => {
            const check = () => document.querySelector('[data-selected-step="' + id + '"]') ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check);
            check();
          });
          return performance.now() - t;
        })()`)) as number;
        selects.push(selectMs);
      }
      log(
        `  ${size.toLocaleString("en-US").padStart(7)} spans  interactive median ${ms(pct(loads, 50))} (runs: ${loads.map(ms).join(", ")})  select a step median ${ms(pct(selects, 50))}`,
      );
    }
    await browser.close();
  } finally {
    if (stack && stack.exitCode === null) {
      stack.kill("SIGTERM");
      await new Promise((r) => stack!.once("exit", r));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

await main();
