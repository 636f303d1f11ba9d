import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded";
import { migrate } from "@/lib/server/db/migrate";

/**
 * A fresh, migrated database for one test file. The mode comes from the test
 * runner (scripts/test.ts runs the integration suite once per mode):
 * - embedded: an in-memory PGlite served on a free loopback port;
 * - postgres: a new database on TEST_DATABASE_URL's server, dropped afterwards.
 */
export type TestDatabase = { url: string; mode: "embedded" | "postgres"; close(): Promise<void> };

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const db = process.env.TEST_DB_MODE === "postgres" ? await createOnServer() : await createEmbedded();
  if (opts.migrate !== false) await migrate(db.url);
  return db;
}

async function createEmbedded(): Promise<TestDatabase> {
  const server = await startEmbeddedPostgres({ port: 0 });
  return { url: server.url, mode: "embedded", close: () => server.stop() };
}

async function createOnServer(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("TEST_DB_MODE=postgres needs TEST_DATABASE_URL");
  const name = `causeway_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    mode: "postgres",
    async close() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      // A pool's end() resolves before its connections are gone server-side; terminating them
      // then (FORCE) makes a closing client emit an error nobody listens to. Let them leave first.
      for (let i = 0; i < 50; i++) {
        const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [
          name,
        ]);
        if (rows[0]!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
