import pg from "pg";
import type { Logger } from "@/lib/log";
import { CONTROL_CHANNEL, parseControlNotice } from "@/lib/control/channel";
import type { ChannelState } from "@/lib/control/wire";
import {
  keyOf,
  notifyControl,
  readStates,
  releaseLease,
  renewLeases,
  type RunControlView,
  type RunKey,
} from "@/collector/control/store";

/**
 * Fan-out of control changes to the agents connected to this collector. One LISTEN
 * connection per process on `causeway_control`; a notification names a run or an
 * agent, the hub re-reads the effective state of the affected runs it has open streams
 * or polls for (one query for all of them) and hands newer states to their watchers.
 * Every replica does the same, so it does not matter which one an agent is connected
 * to. A periodic re-read of all watched runs covers notifications missed while the
 * LISTEN connection was down (and any other way one could be lost): delivery may be
 * late then, never stuck.
 *
 * The hub also keeps client presence: each heartbeat renews the connected-client lease
 * of every run watched here and writes a heartbeat comment to every open stream.
 */
export type Watcher = {
  kind: "stream" | "poll";
  onState(state: ChannelState): void;
  onHeartbeat?(): void;
  /** The collector is stopping: end the response. */
  onClose?(): void;
};

type Watch = { key: RunKey; watchers: Set<Watcher>; latest: ChannelState; agentId: string | null };

export type HubOptions = { databaseUrl: string; heartbeatMs: number; recheckMs: number; log: Logger };

export class ControlHub {
  private watches = new Map<string, Watch>();
  private listener: pg.Client | null = null;
  private pending = new Set<string>();
  private pendingAll = false;
  private flushing = false;
  private timers: NodeJS.Timeout[] = [];
  private retryMs = 250;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: HubOptions,
  ) {}

  /** Stopping: streams were ended and new channel requests are turned away. */
  get isClosed(): boolean {
    return this.closed;
  }

  get heartbeatMs(): number {
    return this.opts.heartbeatMs;
  }

  /** A client counts as connected this long after the last heartbeat renewed its lease. */
  get leaseMs(): number {
    return this.opts.heartbeatMs * 3;
  }

  start(): void {
    void this.listen();
    const every = (ms: number, fn: () => void) => this.timers.push(setInterval(fn, ms).unref());
    every(this.opts.recheckMs, () => {
      if (this.watches.size > 0) this.request("all");
    });
    every(this.opts.heartbeatMs, () => void this.heartbeat());
  }

  /** Watches a run from its current view; returns the function that stops watching. */
  watch(projectId: string, view: RunControlView, watcher: Watcher): () => void {
    const key = { projectId, runId: view.state.runId };
    const k = keyOf(key);
    let w = this.watches.get(k);
    if (!w) {
      w = { key, watchers: new Set(), latest: view.state, agentId: view.agentId };
      this.watches.set(k, w);
    }
    w.watchers.add(watcher);
    if (w.latest.version > view.state.version) watcher.onState(w.latest);
    else w.latest = view.state;
    // Changes between the caller's read and now would otherwise wait for the next re-check.
    this.request([k]);
    void this.renew([key]);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      w.watchers.delete(watcher);
      if (w.watchers.size === 0 && this.watches.get(k) === w) this.watches.delete(k);
      const streamsLeft = [...w.watchers].some((x) => x.kind === "stream");
      if (watcher.kind === "stream" && !streamsLeft && !this.closed)
        void releaseLease(this.pool, key)
          .then(() => notifyControl(this.pool, { ...key, what: "presence" }))
          .catch((error: Error) => this.opts.log.warn("control presence update failed", { error: error.message }));
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const w of this.watches.values()) for (const watcher of w.watchers) watcher.onClose?.();
    this.watches.clear();
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => {});
  }

  private request(keys: string[] | "all"): void {
    if (keys === "all") this.pendingAll = true;
    else for (const k of keys) this.pending.add(k);
    void this.flush();
  }

  /** Re-reads pending runs, one query at a time; requests arriving meanwhile join the next round. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pendingAll || this.pending.size > 0) {
        const keys = this.pendingAll ? [...this.watches.keys()] : [...this.pending];
        this.pending.clear();
        this.pendingAll = false;
        const watched = keys.map((k) => this.watches.get(k)).filter((w): w is Watch => !!w);
        if (watched.length === 0) continue;
        const views = await readStates(
          this.pool,
          watched.map((w) => w.key),
        );
        for (const [k, view] of views) this.dispatch(k, view);
      }
    } catch (error) {
      this.opts.log.warn("control state refresh failed", { error: (error as Error).message });
    } finally {
      this.flushing = false;
    }
  }

  private dispatch(k: string, view: RunControlView): void {
    const w = this.watches.get(k);
    if (!w) return;
    w.agentId = view.agentId;
    this.push(w, view.state);
  }

  private push(w: Watch, state: ChannelState): void {
    if (state.version <= w.latest.version) return;
    w.latest = state;
    for (const watcher of [...w.watchers]) watcher.onState(state);
  }

  private onNotification(payload: string): void {
    const notice = parseControlNotice(payload);
    if (!notice) return this.request("all");
    if (notice.what !== "state") return;
    if (notice.runId !== undefined) {
      const k = keyOf({ projectId: notice.projectId, runId: notice.runId });
      const w = this.watches.get(k);
      if (!w) return;
      // The sender computed the state under the run's and its agent's locks: push it without a read.
      if (notice.state) return this.push(w, { runId: notice.runId, ...notice.state });
      return this.request([k]);
    }
    // An agent command: the runs bound to that agent (or not bound yet) in its project.
    const keys = [...this.watches.entries()]
      .filter(([, w]) => w.key.projectId === notice.projectId && (w.agentId === notice.agentId || w.agentId === null))
      .map(([k]) => k);
    if (keys.length) this.request(keys);
  }

  private async heartbeat(): Promise<void> {
    for (const w of this.watches.values()) for (const watcher of w.watchers) watcher.onHeartbeat?.();
    await this.renew([...this.watches.values()].map((w) => w.key));
  }

  private async renew(keys: RunKey[]): Promise<void> {
    try {
      const arrived = await renewLeases(this.pool, keys, this.leaseMs);
      for (const key of arrived) await notifyControl(this.pool, { ...key, what: "presence" });
    } catch (error) {
      this.opts.log.warn("control presence update failed", { error: (error as Error).message });
    }
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.opts.databaseUrl, application_name: "causeway-collector-control" });
    client.on("notification", (n) => {
      if (n.channel === CONTROL_CHANNEL) this.onNotification(n.payload ?? "");
    });
    const lost = (error: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.opts.log.warn("control LISTEN connection lost; re-checking states until it is back", { error: error.message });
      client.end().catch(() => {});
      this.retry();
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("connection ended")));
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTROL_CHANNEL}`);
      if (this.closed) return void (await client.end());
      this.listener = client;
      this.retryMs = 250;
      this.request("all"); // whatever changed while not listening
    } catch (error) {
      client.end().catch(() => {});
      this.opts.log.warn("control LISTEN connection failed", { error: (error as Error).message });
      this.retry();
    }
  }

  private retry(): void {
    if (this.closed) return;
    const t = setTimeout(() => void this.listen(), this.retryMs);
    t.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }
}
