import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "@/lib/log";

/**
 * Runs child processes, prefixes their output, restarts one that crashes (with
 * backoff, at most `maxRestarts` within a minute, then gives up loudly), and stops
 * them all on request: SIGTERM first so they flush, SIGKILL after `timeoutMs`.
 */
export type ChildSpec = { name: string; command: string; args: string[]; env: NodeJS.ProcessEnv };

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly restarts = new Map<string, number[]>();
  private stopping = false;

  constructor(
    private readonly log: Logger,
    private readonly opts: {
      timeoutMs: number;
      maxRestarts?: number;
      onGiveUp: (name: string) => void;
      /** Where children's output goes, one prefixed line at a time (default: stdout). */
      output?: (line: string) => void;
    },
  ) {}

  start(spec: ChildSpec): void {
    const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ["ignore", "pipe", "pipe"] });
    this.children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on("line", (line) => {
        const prefixed = `[${spec.name}] ${line}`;
        if (this.opts.output) this.opts.output(prefixed);
        else process.stdout.write(prefixed + "\n");
      });
    child.on("exit", (code, signal) => this.onExit(spec, child, code, signal));
  }

  private onExit(spec: ChildSpec, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.children.get(spec.name) !== child) return;
    this.children.delete(spec.name);
    if (this.stopping) return;
    this.log.error(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`})`);
    const now = Date.now();
    const recent = (this.restarts.get(spec.name) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= (this.opts.maxRestarts ?? 5)) {
      this.log.error(`${spec.name} crashed ${recent.length + 1} times within a minute; giving up`);
      this.opts.onGiveUp(spec.name);
      return;
    }
    this.restarts.set(spec.name, [...recent, now]);
    const delay = 500 * 2 ** recent.length;
    this.log.warn(`restarting ${spec.name} in ${delay} ms`);
    setTimeout(() => !this.stopping && this.start(spec), delay);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.children].map(
        ([name, child]) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              this.log.warn(`${name} did not stop within ${this.opts.timeoutMs} ms; killing it`);
              child.kill("SIGKILL");
            }, this.opts.timeoutMs);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill("SIGTERM");
          }),
      ),
    );
    this.children.clear();
  }
}
