import { migrate } from "@/lib/server/db/migrate";
import { parseSettings } from "@/lib/config/settings";

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
const { DATABASE_URL } = parseSettings(["DATABASE_URL"] as const, process.env);
if (!DATABASE_URL) {
  process.stderr.write("DATABASE_URL is not set (`npm start` migrates the embedded database itself).\n");
  process.exit(1);
}
const { applied } = await migrate(DATABASE_URL, { log: (m) => process.stdout.write(m + "\n") });
process.stdout.write(applied.length ? `${applied.length} migration(s) applied\n` : "database schema is up to date\n");
