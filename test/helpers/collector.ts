import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { buildCollector } from "@/scripts/collector-build";

/** A real collector process for a test, on a free port, against the given database. */
export type RunningCollector = {
  url: string;
  port: number;
  pid: number;
  logs: string[];
  stop(): Promise<number | null>;
  kill(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * Tests run the TypeScript sources through tsx; `built` runs the production bundle instead
 * (scripts/collector-build.ts, as `npm start` does), which is what the benchmarks measure.
 */
export async function startCollector(
  databaseUrl: string,
  env: Record<string, string> = {},
  { port, built = false }: { port?: number; built?: boolean } = {},
): Promise<RunningCollector> {
  const p = port ?? (await freePort());
  const logs: string[] = [];
  // CAUSEWAY_COLLECTOR_NODE_ARGS: extra Node.js flags for the collector process, e.g. to profile a benchmark
  // (`--cpu-prof --cpu-prof-dir=/tmp/prof`; Node refuses those in NODE_OPTIONS).
  const extra = (process.env.CAUSEWAY_COLLECTOR_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const args = [
    ...extra,
    ...(built ? (await buildCollector(path.resolve("."))).nodeArgs : ["--import", "tsx", path.resolve("collector/main.ts")]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CAUSEWAY_COLLECTOR_PORT: String(p),
      CAUSEWAY_HOST: "127.0.0.1",
      CAUSEWAY_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => logs.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`collector exited at start:\n${logs.join("")}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`collector did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: p,
    pid: child.pid!,
    logs,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
