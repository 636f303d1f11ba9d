import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order and records each in
 * Prisma's `_prisma_migrations` table (same columns, sha256 checksum of the file),
 * so `prisma migrate deploy` on a connected machine sees the same history.
 *
 * - Each migration runs in one transaction: it is applied entirely or not at all.
 * - A session advisory lock serializes processes starting at once (real Postgres);
 *   the "already applied?" check is repeated inside the transaction so that it is
 *   also safe on the embedded server, where every connection shares one backend.
 */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");
const LOCK_KEY = 0x6361_7573; // "caus"

export type Migration = { name: string; sql: string; checksum: string };
export type MigrateResult = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

type HistoryRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function migrate(
  databaseUrl: string,
  opts: { dir?: string; log?: (msg: string) => void } = {},
): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const migrations = await readMigrations(opts.dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await client.query(CREATE_HISTORY);
      const history = await readHistory(client);
      checkHistory(migrations, history);
      const result: MigrateResult = { applied: [], alreadyApplied: [] };
      for (const m of migrations) {
        if (history.get(m.name)?.finished_at) {
          result.alreadyApplied.push(m.name);
          continue;
        }
        if (await applyOne(client, m)) {
          log(`applied migration ${m.name}`);
          result.applied.push(m.name);
        } else result.alreadyApplied.push(m.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

async function readHistory(client: pg.Client): Promise<Map<string, HistoryRow>> {
  const { rows } = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  return new Map(rows.map((r) => [r.migration_name, r]));
}

/** Refuses to run on a history that does not match the files: editing an applied migration is a bug. */
function checkHistory(migrations: Migration[], history: Map<string, HistoryRow>): void {
  for (const m of migrations) {
    const row = history.get(m.name);
    if (!row) continue;
    if (!row.finished_at)
      throw new MigrationError(
        `Migration ${m.name} failed earlier and was not resolved; fix the database, then run \`prisma migrate resolve\`.`,
      );
    if (row.checksum !== m.checksum)
      throw new MigrationError(`Migration ${m.name} was modified after it was applied (checksum mismatch).`);
  }
}

async function applyOne(client: pg.Client, m: Migration): Promise<boolean> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY + 1]);
    const done = await client.query(
      `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [m.name],
    );
    if (done.rowCount) {
      await client.query("COMMIT");
      return false;
    }
    await client.query(m.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), m.checksum, m.name],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
  }
}
