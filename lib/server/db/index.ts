import { createPrisma, type Db } from "@/lib/server/db/prisma";
import { webEnv } from "@/lib/server/env";

// One client per web process; kept on globalThis so Next's dev reloads reuse it.
const holder = globalThis as unknown as { causewayDb?: Db };

export function getDb(): Db {
  holder.causewayDb ??= createPrisma(webEnv().DATABASE_URL);
  return holder.causewayDb;
}

export type { Db };
