import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * `npm start` serves a production build. It rebuilds only when the sources changed
 * since the last build (a fingerprint of paths, sizes and mtimes), so a restart is fast
 * and a `git pull` is never served stale.
 */
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.ts",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
  "instrumentation.ts",
];

export function sourceFingerprint(root: string): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (name !== "generated" && !name.endsWith(".test.ts")) visit(path.join(p, name));
    } else hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) visit(path.join(root, s));
  return hash.digest("hex");
}

export function buildIsCurrent(root: string): boolean {
  const stamp = path.join(root, ".next", "causeway-fingerprint");
  return (
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === sourceFingerprint(root)
  );
}

export function markBuilt(root: string, fingerprint: string): void {
  writeFileSync(path.join(root, ".next", "causeway-fingerprint"), fingerprint);
}
