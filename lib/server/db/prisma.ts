import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;

const pools = new WeakMap<Db, pg.Pool>();

/** A Prisma client over node-postgres (Prisma 7 driver adapter). */
export function createPrisma(databaseUrl: string, opts: { max?: number } = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 10 });
  // An idle connection's error (server restart) surfaces on its next query; PrismaPg only logs it too.
  pool.on("error", () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The node-postgres pool under a client (the same connections), for the few reads of
 * 100k rows where Prisma's row decoding is the cost (lib/server/repositories/run-detail.ts).
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("poolOf: this client was not made by createPrisma");
  return pool;
}
