import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * `npm test`: everything a reviewer would run, in order, with one summary.
 *   typecheck -> lint (eslint + architecture rules) -> format -> unit -> integration
 *   (embedded database, and TEST_DATABASE_URL's Postgres when set) -> e2e (Playwright).
 * `npm test -- unit integration` runs only the named stages.
 */
type Result = { stage: string; ok: boolean; passed: number; failed: number; seconds: number };
const results: Result[] = [];
const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

function run(
  stage: string,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  count?: () => { passed: number; failed: number },
) {
  process.stdout.write(`\n━━ ${stage} ━━\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const ok = r.status === 0;
  const counted = count?.() ?? { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  results.push({
    stage,
    ok,
    ...counted,
    failed: ok ? counted.failed : Math.max(1, counted.failed),
    seconds: (Date.now() - started) / 1000,
  });
}

function testFiles(dirs: string[], exclude: RegExp[] = []): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".") || name === "generated") continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".test.ts") && !exclude.some((e) => e.test(p))) out.push(path.relative(root, p));
    }
  };
  for (const d of dirs) if (existsSync(path.join(root, d))) walk(path.join(root, d));
  return out.sort();
}

/** node:test with a TAP copy in a file so the counts can be read back. */
function nodeTests(stage: string, files: string[], env: Record<string, string> = {}) {
  const tap = path.join(mkdtempSync(path.join(tmpdir(), "causeway-test-")), "out.tap");
  run(
    stage,
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
    () => {
      const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
      const n = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
      rmSync(path.dirname(tap), { recursive: true, force: true });
      return { passed: n("pass"), failed: n("fail") + n("cancelled") };
    },
  );
}

const all = ["typecheck", "lint", "format", "unit", "integration", "e2e"];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;
for (const w of wanted) if (!all.includes(w)) throw new Error(`unknown stage ${w}; stages: ${all.join(", ")}`);

if (wanted.includes("typecheck")) run("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
if (wanted.includes("lint")) {
  run("lint: eslint", bin("eslint"), ["."]);
  run("lint: architecture (dependency-cruiser)", bin("depcruise"), [
    "--config",
    ".dependency-cruiser.cjs",
    "app",
    "components",
    "lib",
    "collector",
    "scripts",
    "bench",
    "test",
    "e2e",
    "demo",
  ]);
}
if (wanted.includes("format")) run("format", bin("prettier"), ["--check", "--log-level=warn", "."]);
if (wanted.includes("unit")) nodeTests("unit", testFiles(["lib", "collector", "scripts", "components", "app", "demo"]));
if (wanted.includes("integration")) {
  const files = testFiles(["test/integration"]);
  nodeTests("integration (embedded database)", files, { TEST_DB_MODE: "embedded" });
  if (process.env.TEST_DATABASE_URL) nodeTests("integration (TEST_DATABASE_URL Postgres)", files, { TEST_DB_MODE: "postgres" });
  else process.stdout.write("\n(TEST_DATABASE_URL is not set: integration tests ran on the embedded database only)\n");
}
if (wanted.includes("e2e")) {
  const report = path.join(root, "test-results/e2e.json");
  rmSync(report, { force: true });
  run("e2e (Playwright)", bin("playwright"), ["test"], {}, () => {
    if (!existsSync(report)) return { passed: 0, failed: 1 };
    const { stats } = JSON.parse(readFileSync(report, "utf8")) as {
      stats: { expected: number; unexpected: number; flaky: number };
    };
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
  });
}

process.stdout.write("\n━━ summary ━━\n");
for (const r of results)
  process.stdout.write(
    `${r.ok ? "✔" : "✖"} ${r.stage.padEnd(44)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1)} s\n`,
  );
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
