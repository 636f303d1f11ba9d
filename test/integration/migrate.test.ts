import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { migrate, MigrationError, MIGRATIONS_DIR, readMigrations } from "@/lib/server/db/migrate";
import { createTestDatabase, type TestDatabase } from "@/test/helpers/database";

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase({ migrate: false });
});
after(() => db.close());

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

test("two processes migrating at once apply each migration exactly once", async () => {
  const [a, b] = await Promise.all([migrate(db.url), migrate(db.url)]);
  const all = (await readMigrations()).map((m) => m.name);
  assert.deepEqual([...a.applied, ...b.applied].sort(), all, "each migration applied by exactly one process");
  const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
    `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
  );
  assert.deepEqual(
    rows.map((r) => r.migration_name),
    all,
  );
  for (const r of rows) {
    // Prisma's checksum: sha256 of the migration file, hex.
    const sql = readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, "migration.sql"));
    assert.equal(r.checksum, createHash("sha256").update(sql).digest("hex"));
    assert.ok(r.finished_at);
    assert.equal(r.applied_steps_count, 1);
  }
});

test("running again is a no-op", async () => {
  const again = await migrate(db.url);
  assert.deepEqual(again.applied, []);
  assert.equal((await query(`SELECT * FROM projects WHERE slug = 'default'`)).length, 1, "seed applied once");
});

test("an edited migration is refused", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "causeway-mig-"));
  try {
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    writeFileSync(path.join(dir, first!.name, "migration.sql"), first!.sql + "\n-- edited\n");
    await assert.rejects(
      migrate(db.url, { dir }),
      (e: Error) => e instanceof MigrationError && /modified after it was applied/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failing migration is rolled back entirely and not recorded", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "causeway-mig-"));
  try {
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, "29991231000000_broken"));
    writeFileSync(
      path.join(dir, "29991231000000_broken", "migration.sql"),
      `CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);\n`,
    );
    await assert.rejects(migrate(db.url, { dir }), /29991231000000_broken failed and was rolled back/);
    assert.equal((await query(`SELECT to_regclass('half_done') AS t`))[0]!.t, null);
    assert.equal((await query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'`)).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
