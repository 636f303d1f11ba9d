// `prisma generate` offline: Prisma 7's CLI insists on a schema-engine binary it
// would download, although generate never runs it. Any existing file satisfies
// the check, so point it at node itself unless the user configured a real one.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
