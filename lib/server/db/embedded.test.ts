import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("concurrent parameterized queries from several pools each get their own result", async () => {
  const pgs = await startEmbeddedPostgres({});
  const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: pgs.url, max: 10 }));
  try {
    // Each variant adds its own offset, so running one connection's Bind
    // against another connection's Parse gives a visibly wrong answer.
    const big = "x".repeat(200 * 1024);
    const variants = [
      { text: "select $1::int as n, pg_sleep(0)", offset: 0, extra: [] },
      { text: "select $1::int + 1000 as n", offset: 1000, extra: [] },
      { text: "select ($1::text)::int + 2000 as n from generate_series(1, 3) limit 1", offset: 2000, extra: [] },
      // A 200 KiB parameter makes one query's messages arrive in several TCP reads.
      { text: "select $1::int + 3000 + 0 * length($2::text) as n", offset: 3000, extra: [big] },
    ];
    const results = await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        const pool = pools[i % pools.length]!;
        const k = i % 10 === 3 ? 3 : i % 3;
        const v = variants[k]!;
        // Every 7th query uses a named statement, with the same names in every pool.
        const name = i % 7 === 0 ? `stmt${k}` : undefined;
        const res = await pool.query({ name, text: v.text, values: [i, ...v.extra] });
        return [i + v.offset, res.rows[0].n] as const;
      }),
    );
    for (const [expected, n] of results) assert.equal(n, expected);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
    await pgs.stop();
  }
});

test("a transaction is isolated from concurrent writers; rollback leaves nothing", async () => {
  const pgs = await startEmbeddedPostgres({});
  const pool = new pg.Pool({ connectionString: pgs.url, max: 10 });
  try {
    await pool.query("create table t (src text not null)");
    const inTx = async (end: "COMMIT" | "ROLLBACK") => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query("insert into t values ($1)", [end]);
        const before = await c.query("select count(*)::int as n from t");
        await c.query("select pg_sleep(0.05)");
        await c.query("insert into t values ($1)", [end]);
        // Nobody else ran inside our transaction, so we see only our own new row.
        const after = await c.query("select count(*)::int as n from t");
        assert.equal(after.rows[0].n, before.rows[0].n + 1);
        await c.query(end);
      } finally {
        c.release();
      }
    };
    const others = (tag: string) => Array.from({ length: 40 }, () => pool.query("insert into t values ($1)", [tag]));
    await Promise.all([inTx("COMMIT"), ...others("a")]);
    await Promise.all([inTx("ROLLBACK"), ...others("b")]);
    const { rows } = await pool.query("select src, count(*)::int as n from t group by src order by src");
    assert.deepEqual(rows, [
      { src: "COMMIT", n: 2 },
      { src: "a", n: 40 },
      { src: "b", n: 40 },
    ]);
  } finally {
    await pool.end();
    await pgs.stop();
  }
});

test("a client that disconnects inside a transaction is rolled back and stops blocking", async () => {
  const pgs = await startEmbeddedPostgres({});
  const pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  try {
    await pool.query("create table t (v int)");
    const quitter = new pg.Client({ connectionString: pgs.url });
    quitter.on("error", () => {});
    await quitter.connect();
    await quitter.query("BEGIN");
    await quitter.query("insert into t values (1)");
    // While the transaction is open, other connections wait.
    let done = false;
    const waiting = pool.query("select count(*)::int as n from t").then((r) => ((done = true), r));
    await sleep(100);
    assert.equal(done, false);
    // Drop the TCP connection without COMMIT/ROLLBACK or Terminate.
    (quitter as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    assert.equal((await waiting).rows[0].n, 0);
    await pool.query("insert into t values (2)");
    assert.deepEqual((await pool.query("select v from t")).rows, [{ v: 2 }]);
  } finally {
    await pool.end();
    await pgs.stop();
  }
});

test("data persists across stop() and restart on the same dataDir", async () => {
  const root = mkdtempSync(join(tmpdir(), "causeway-embedded-"));
  const dataDir = join(root, "nested", "pgdata"); // created if missing
  try {
    const first = await startEmbeddedPostgres({ dataDir });
    const c1 = new pg.Client({ connectionString: first.url });
    await c1.connect();
    await c1.query("create table kv (k text primary key, v text)");
    await c1.query("insert into kv values ($1, $2)", ["hello", "world"]);
    await c1.end();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir });
    const c2 = new pg.Client({ connectionString: second.url });
    await c2.connect();
    const { rows } = await c2.query("select v from kv where k = $1", ["hello"]);
    await c2.end();
    await second.stop();
    assert.deepEqual(rows, [{ v: "world" }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("works through Prisma's pg driver adapter", async () => {
  const pgs = await startEmbeddedPostgres({});
  const adapter = await new PrismaPg({ connectionString: pgs.url }).connect();
  try {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((x) =>
        adapter.queryRaw({ sql: "select $1::int as x", args: [x], argTypes: [{ scalarType: "int", arity: "scalar" }] }),
      ),
    );
    results.forEach((r, i) => {
      assert.deepEqual(r.columnNames, ["x"]);
      assert.deepEqual(r.rows, [[i + 1]]);
    });
    const tx = await adapter.startTransaction();
    await tx.executeRaw({ sql: "create table p (v int)", args: [], argTypes: [] });
    // The adapter's commit() only releases the connection; Prisma sends COMMIT itself.
    await tx.executeRaw({ sql: "COMMIT", args: [], argTypes: [] });
    await tx.commit();
    const count = await adapter.queryRaw({ sql: "select count(*)::int as n from p", args: [], argTypes: [] });
    assert.deepEqual(count.rows, [[0]]);
  } finally {
    await adapter.dispose();
    await pgs.stop();
  }
});

test("LISTEN/NOTIFY reaches the connections that listen, as on a real server", async () => {
  const pgs = await startEmbeddedPostgres({});
  const clients = [1, 2, 3].map(() => new pg.Client({ connectionString: pgs.url }));
  try {
    for (const c of clients) await c.connect();
    const [a, b, c] = clients as [pg.Client, pg.Client, pg.Client];
    const got: Record<string, string[]> = { a: [], b: [], c: [] };
    a.on("notification", (n) => got.a!.push(`${n.channel}:${n.payload}`));
    b.on("notification", (n) => got.b!.push(`${n.channel}:${n.payload}`));
    c.on("notification", (n) => got.c!.push(`${n.channel}:${n.payload}`));
    await a.query("LISTEN runs");
    await b.query('LISTEN "Runs"; LISTEN control');
    await c.query("SELECT pg_notify('runs', 'one')"); // c does not listen: only a hears it
    await c.query({ text: "SELECT pg_notify($1, $2)", values: ["Runs", "two"] });
    await c.query("BEGIN; SELECT pg_notify('control', 'three'); COMMIT");
    await c.query("BEGIN; SELECT pg_notify('runs', 'rolled back'); ROLLBACK");
    // b leaving "control" must not stop a (who joins it now) from hearing it.
    await a.query("LISTEN control");
    await b.query("UNLISTEN control");
    await c.query("SELECT pg_notify('control', 'four')");
    await sleep(100);
    assert.deepEqual(got, { a: ["runs:one", "control:four"], b: ["Runs:two", "control:three"], c: [] });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await pgs.stop();
  }
});
