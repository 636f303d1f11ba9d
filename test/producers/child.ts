import { spawn } from "node:child_process";
import path from "node:path";
import { RESULT_MARKER } from "@/test/producers/child-main";

const MAIN = path.resolve(import.meta.dirname, "child-main.ts");

/**
 * Runs a producer export in a fresh `node --import tsx` process, once per option set (sequentially), and returns
 * its results. Use it for every producer whose SDK registers anything globally, so nothing leaks into the test
 * process or into another producer.
 */
export async function runInChild<F extends (opts: never) => Promise<unknown>>(
  file: string,
  exportName: string,
  runs: Parameters<F>[0][],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<Awaited<ReturnType<F>>[]> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: {
      ...process.env,
      ...env,
      PRODUCER_MODULE: path.resolve(file),
      PRODUCER_EXPORT: exportName,
      PRODUCER_RUNS: JSON.stringify(runs),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  // A producer whose SDK never ends a span may never exit: stop it rather than hang the test file.
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  const line = out.split("\n").find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || !line) throw new Error(`producer ${file}#${exportName} exited with ${code}\n${err}\n${out}`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as Awaited<ReturnType<F>>[];
}
