/**
 * `npm run bench:search` — drift search latency at scale: 1,000,000 runs, 10,000,000 steps,
 * ~378,000 distinct messages and ~224,000 drift points (bench/search-seed.ts) in a fresh database
 * on a real Postgres server, then p50/p95 of representative queries through the same repository
 * function the API calls (parse → candidate lookup → one SQL query), and of autocomplete lookups.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a server on which a fresh database is created
 * and dropped), default postgresql://postgres@127.0.0.1:5432/postgres.
 * BENCH_RUNS (default 1000000) sets the size; BENCH_KEEP_DB=1 keeps the database and prints its
 * name; BENCH_REUSE_DB=<name> measures an existing seeded one (no seeding).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { listKnownValues, searchMoments } from "@/lib/server/repositories/search";
import { seedSearchData } from "@/bench/search-seed";

const BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const RUNS = Number(process.env.BENCH_RUNS ?? 1_000_000);
const KEEP = process.env.BENCH_KEEP_DB === "1";
const REUSE = process.env.BENCH_REUSE_DB;
const REPEAT = 15;

/** What people search for: drift filters, run filters, text (common, rare, phrases, prefixes), rare keys, combinations. */
const QUERIES: { q: string; what: string }[] = [
  { q: "", what: "newest drift points" },
  { q: "drift:loop severity>=high", what: "detector + severity" },
  { q: "agent:support-bot drift:error_cascade", what: "agent + detector" },
  { q: "severity:critical status:error", what: "severity + run status" },
  { q: "drift:policy tool:send_email", what: "detector + rare tool" },
  { q: "drift:budget -status:ok after:7d", what: "negation + age" },
  { q: 'drift:loop "refund policy"', what: "drift + phrase" },
  { q: "session:conv-10", what: "session" },
  { q: "run:0000a", what: "run id prefix" },
  { q: "refund", what: "common word (steps)" },
  { q: '"duplicate payment"', what: "phrase (steps)" },
  { q: "A-150124", what: "rare order number (steps)" },
  { q: "concise", what: "word of every system prompt (steps)" },
  { q: "E4323 status:error", what: "rare word + status (steps)" },
  { q: "refu*", what: "prefix word (steps)" },
  { q: "tool:send_email", what: "rare tool (steps)" },
  { q: "tool:wire_transfer", what: "very rare tool (steps)" },
  { q: "model:llama-3.1-70b", what: "rare model (steps)" },
  { q: "tool:search_web model:gpt-4o agent:research-lead", what: "common tool + model + agent (steps)" },
  { q: 'agent:billing-assistant after:7d "invoice"', what: "agent + age + word (steps)" },
  { q: "zebra unicorn", what: "no match (steps)" },
];

async function main() {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  const dbName = REUSE ?? `causeway_bench_search_${randomBytes(4).toString("hex")}`;
  if (!REUSE) await admin.query(`CREATE DATABASE ${dbName}`);
  const url = Object.assign(new URL(BASE), { pathname: `/${dbName}` }).toString();
  const db = createPrisma(url, { max: 4 });
  try {
    const project = await (async () => {
      if (!REUSE) await migrate(url);
      return db.project.findUniqueOrThrow({ where: { slug: "default" } });
    })();
    if (!REUSE) {
      log(`seeding ${RUNS.toLocaleString("en-US")} runs into ${dbName} on ${new URL(BASE).host}`);
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      try {
        await seedSearchData(pool, project.id, RUNS, new Date(), log);
      } finally {
        await pool.end();
      }
    }
    await report(db, project.id);
  } finally {
    await db.$disconnect();
    if (KEEP || REUSE) log(`database kept: ${dbName}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function report(db: Db, projectId: string): Promise<void> {
  const counts = await db.$queryRawUnsafe<{ runs: number; steps: number; messages: number; drift: number }[]>(
    `SELECT (SELECT reltuples::bigint FROM pg_class WHERE relname = 'runs')::int AS runs,
            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'steps')::int AS steps,
            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'messages')::int AS messages,
            (SELECT reltuples::bigint FROM pg_class WHERE relname = 'drift_points')::int AS drift`,
  );
  const c = counts[0]!;
  log(`\n${fmt(c.runs)} runs, ${fmt(c.steps)} steps, ${fmt(c.messages)} messages, ${fmt(c.drift)} drift points`);
  log(`each query ${REPEAT}× after a warm-up; first page of 50, then the second page (cursor) where there is one\n`);
  log(`${"query".padEnd(54)} ${"mode".padEnd(6)} ${"hits".padStart(5)}   p50 ms   p95 ms   page 2 p50/p95`);
  const all: number[] = [];
  for (const { q, what } of QUERIES) {
    const first = await searchMoments(db, projectId, { q, limit: 50 });
    const times = await timed(() => searchMoments(db, projectId, { q, limit: 50 }));
    all.push(...times);
    let page2 = "";
    if (first.nextCursor) {
      const cursor = first.nextCursor;
      const t2 = await timed(() => searchMoments(db, projectId, { q, limit: 50, cursor }));
      all.push(...t2);
      page2 = `${pct(t2, 50).toFixed(0)} / ${pct(t2, 95).toFixed(0)}`;
    }
    const label = `${q || "(empty)"}  — ${what}`;
    log(
      `${label.slice(0, 54).padEnd(54)} ${first.mode.padEnd(6)} ${String(first.results.length).padStart(5)} ${pct(times, 50).toFixed(1).padStart(8)} ${pct(times, 95).toFixed(1).padStart(8)}   ${page2}`,
    );
  }
  log(
    `\nall search queries: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms`,
  );
  const suggest: number[] = [];
  for (const [key, prefix] of [
    ["tool", ""],
    ["tool", "se"],
    ["model", "gpt"],
    ["agent", "su"],
    ["session", "conv-12"],
  ] as const)
    suggest.push(...(await timed(() => listKnownValues(db, projectId, key, prefix))));
  log(
    `autocomplete values (tool, model, agent, session): p50 ${pct(suggest, 50).toFixed(1)} ms, p95 ${pct(suggest, 95).toFixed(1)} ms`,
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
const fmt = (n: number) => n.toLocaleString("en-US");
function log(msg: string): void {
  console.log(msg);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
