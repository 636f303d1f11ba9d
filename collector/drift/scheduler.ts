import type { Logger } from "@/lib/log";
import { formatRunRef, type RunRef } from "@/lib/live/channels";

/**
 * When runs are evaluated, off the ingest path. `schedule` only records that a run
 * changed and returns at once: the store queue and the exporter's 200 never wait for
 * a detector. Per run, evaluations are debounced: the first change is evaluated right
 * away (a live run is flagged within one evaluation of the span that drifted), later
 * ones at most once per `debounceMs` — or per 4× the run's last evaluation time, so a
 * huge run cannot take more than a fifth of the stage. Changes arriving during an
 * evaluation trigger one more. Runs due together are evaluated together, up to
 * `batchSize` per call (loading 50 runs in one statement costs about what loading one
 * does); at most `concurrency` calls run at once, and at most `maxPending` runs wait
 * (beyond that changes are dropped and counted; the run's next change brings it back).
 * A failed evaluation is logged, never thrown.
 */
export type SchedulerOptions = {
  debounceMs: number;
  concurrency: number;
  batchSize: number;
  maxPending: number;
  log: Logger;
  /**
   * Evaluates the runs; may return each run's own cost in ms (by formatRunRef), which spaces its next evaluation;
   * a run it does not name is charged the whole call's time.
   */
  evaluate(runs: RunRef[]): Promise<ReadonlyMap<string, number> | void>;
  onDropped?(count: number): void;
  onFailed?(error: unknown): void;
};

export class DriftScheduler {
  private readonly pending = new Map<string, { run: RunRef; dueAt: number }>();
  private readonly running = new Set<string>();
  private calls = 0;
  private readonly dirty = new Set<string>();
  private readonly last = new Map<string, { at: number; ms: number }>();
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private closed = false;
  private idle: (() => void)[] = [];
  private lastDropWarning = 0;

  constructor(private readonly opts: SchedulerOptions) {}

  get pendingRuns(): number {
    return this.pending.size;
  }

  schedule(runs: readonly RunRef[]): void {
    if (this.closed || runs.length === 0) return;
    const now = Date.now();
    let dropped = 0;
    for (const run of runs) {
      const key = formatRunRef(run);
      if (this.running.has(key)) this.dirty.add(key);
      else if (this.pending.has(key)) continue;
      else if (this.pending.size >= this.opts.maxPending) dropped++;
      else this.pending.set(key, { run, dueAt: this.dueAt(key, now) });
    }
    if (dropped > 0) this.drop(dropped, now);
    this.pump();
  }

  /** Stops scheduling and waits for the evaluations in flight; waiting runs are left (they are re-evaluated on their next change). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    if (this.calls > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private dueAt(key: string, now: number): number {
    const last = this.last.get(key);
    return last ? Math.max(now, last.at + this.interval(last.ms)) : now;
  }

  private interval(ms: number): number {
    return Math.max(this.opts.debounceMs, ms * 4);
  }

  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    let next = Infinity;
    while (this.calls < this.opts.concurrency) {
      const batch: [string, RunRef][] = [];
      next = Infinity;
      for (const [key, item] of this.pending)
        if (item.dueAt > now) next = Math.min(next, item.dueAt);
        else if (batch.length < this.opts.batchSize) batch.push([key, item.run]);
      if (batch.length === 0) break;
      this.start(batch);
    }
    this.arm(next);
  }

  private arm(due: number): void {
    if (due === Infinity || (this.timer && this.timerDue <= due)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerDue = Infinity;
        this.pump();
      },
      Math.max(0, due - Date.now()),
    );
    this.timer.unref();
  }

  private start(batch: [string, RunRef][]): void {
    for (const [key] of batch) {
      this.pending.delete(key);
      this.running.add(key);
    }
    this.calls++;
    const started = performance.now();
    Promise.resolve()
      .then(() => this.opts.evaluate(batch.map(([, run]) => run)))
      .catch((error: unknown) => {
        this.opts.onFailed?.(error);
        this.opts.log.warn("drift evaluation failed", {
          runs: batch.length,
          first: batch[0]![0],
          error: error instanceof Error ? error.message : String(error),
        });
      })
      .then((costs) => {
        this.calls--;
        const ms = performance.now() - started;
        const now = Date.now();
        const again: RunRef[] = [];
        for (const [key, run] of batch) {
          this.running.delete(key);
          this.last.set(key, { at: now, ms: costs?.get(key) ?? ms });
          if (this.dirty.delete(key)) again.push(run);
        }
        this.forget();
        if (this.calls === 0) this.idle.splice(0).forEach((resolve) => resolve());
        this.schedule(again);
        this.pump();
      });
  }

  /** Evaluation times matter only while they still delay a run's next evaluation. */
  private forget(): void {
    if (this.last.size <= this.opts.maxPending) return;
    const now = Date.now();
    for (const [key, last] of this.last) if (now - last.at > this.interval(last.ms)) this.last.delete(key);
  }

  private drop(count: number, now: number): void {
    this.opts.onDropped?.(count);
    if (now - this.lastDropWarning < 60_000) return;
    this.lastDropWarning = now;
    this.opts.log.warn("drift stage overloaded: some run changes are not evaluated", { waiting: this.pending.size });
  }
}
