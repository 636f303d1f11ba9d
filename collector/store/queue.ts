import type pg from "pg";
import type { Logger } from "@/lib/log";
import type { IngestBatch } from "@/collector/normalize/batch";
import { isTransientDbError, RetryableError } from "@/collector/store/errors";
import { copySupported, writeBatches, type WriteResult } from "@/collector/store/writer";

/**
 * Batches requests into few large transactions: a flush starts at once when no write
 * is in flight, otherwise when enough spans are waiting or after a short interval. A request's promise
 * resolves only after its spans are committed (so a 200 means stored). Memory is
 * bounded: above `maxQueuedSpans` new requests are refused with 429 right away.
 */
export type QueueOptions = {
  maxBatchSpans: number;
  flushIntervalMs: number;
  maxQueuedSpans: number;
  concurrency: number;
  log: Logger;
  onCommitted?: (result: WriteResult, spans: number, ms: number) => void;
};

type Item = { batch: IngestBatch; spans: number; resolve: (r: WriteResult) => void; reject: (e: unknown) => void };

export class StoreQueue {
  private readonly waiting: Item[] = [];
  private queuedSpans = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Until this time, requests are refused at once: the database just failed. */
  private unavailableUntil = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: QueueOptions,
  ) {}

  get queued(): number {
    return this.queuedSpans;
  }

  enqueue(batch: IngestBatch): Promise<WriteResult> {
    // GenAI log events count like spans: they are rows of the same transactions.
    const spans = batch.steps.length + batch.logEvents.length;
    if (this.closed) return Promise.reject(new RetryableError("collector is shutting down", 503, 5));
    if (Date.now() < this.unavailableUntil) return Promise.reject(new RetryableError("database unavailable", 503, 5));
    if (this.queuedSpans + spans > this.opts.maxQueuedSpans && this.queuedSpans > 0)
      return Promise.reject(new RetryableError("collector overloaded: too many spans waiting to be stored", 429, 1));
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, spans, resolve, reject });
      this.queuedSpans += spans;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.opts.concurrency || this.waiting.length === 0) return;
    // With no write in flight the database is idle: waiting to fill a batch would only add latency. While
    // writes are in flight, requests gather until one ends, the batch is full or the interval passes.
    if (this.inFlight === 0 || this.pendingInWaiting() >= this.opts.maxBatchSpans || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.opts.flushIntervalMs);
    }
  }

  private pendingInWaiting(): number {
    let n = 0;
    for (const i of this.waiting) n += i.spans;
    return n;
  }

  private async flush(): Promise<void> {
    if (this.waiting.length === 0 || this.inFlight >= this.opts.concurrency) return;
    const group: Item[] = [];
    let spans = 0;
    while (this.waiting.length && (group.length === 0 || spans + this.waiting[0]!.spans <= this.opts.maxBatchSpans)) {
      const item = this.waiting.shift()!;
      group.push(item);
      spans += item.spans;
    }
    this.inFlight++;
    try {
      await this.writeGroup(group, spans);
    } finally {
      this.inFlight--;
      this.schedule();
      if (this.inFlight === 0 && this.waiting.length === 0) this.idle.splice(0).forEach((f) => f());
    }
  }

  private async writeGroup(group: Item[], spans: number): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.write(group.map((i) => i.batch));
      this.opts.onCommitted?.(result, spans, performance.now() - started);
      // Each request learns its own counts; the run list is shared.
      for (const item of group) this.settle(item).resolve({ ...result, stored: item.spans });
    } catch (error) {
      if (isTransientDbError(error)) {
        // Refuse at once (503) until a background probe reaches the database again, rather than
        // letting every request wait out a connection timeout and pile up.
        this.unavailableUntil = Number.MAX_SAFE_INTEGER;
        this.probeUntilAvailable();
        this.opts.log.warn("database unavailable; answering 503 until it is back", { error: (error as Error).message });
        for (const item of group) this.settle(item).reject(new RetryableError("database unavailable", 503, 5));
      } else if (group.length > 1) {
        // One bad request must not fail the others it was batched with: write them one by one.
        for (const item of group) await this.writeGroup([item], item.spans).catch(() => {});
      } else {
        this.opts.log.error("could not store a request", { error });
        this.settle(group[0]!).reject(error);
      }
    }
  }

  /** An item leaves the count as it is answered, so whoever hears the answer finds it no longer queued. */
  private settle(item: Item): Item {
    this.queuedSpans -= item.spans;
    return item;
  }

  /** Whether the database takes COPY (learnt on the first write). */
  private copy: boolean | undefined;

  private async write(batches: IngestBatch[]): Promise<WriteResult> {
    const client = await this.pool.connect();
    // A checked-out client's connection errors are not handled by the pool: without a
    // listener a dropped connection would crash the process. A broken client is discarded.
    let broken: Error | undefined;
    const onError = (e: Error) => (broken = e);
    client.on("error", onError);
    try {
      this.copy ??= await copySupported(client);
      return await writeBatches(client, batches, { copy: this.copy });
    } catch (e) {
      if (isTransientDbError(e)) broken ??= e as Error;
      throw e;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  private probing = false;
  private probeUntilAvailable(): void {
    if (this.probing) return;
    this.probing = true;
    const tick = async () => {
      const ok = await this.pool.query("SELECT 1").then(
        () => true,
        () => false,
      );
      if (ok) {
        this.unavailableUntil = 0;
        this.probing = false;
        this.opts.log.info("database reachable again");
      } else setTimeout(() => void tick(), 500).unref();
    };
    setTimeout(() => void tick(), 500).unref();
  }

  /** Stops accepting, then waits until everything accepted is written. */
  async close(): Promise<void> {
    this.closed = true;
    this.schedule();
    if (this.inFlight === 0 && this.waiting.length === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
