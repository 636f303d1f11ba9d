import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import { ControlUnavailableError, RunKilledError } from "./errors";
import { otelApi, spanIdOf, type OtelApi } from "./otel";
import { ControlStream } from "./stream";
import type { Channel } from "./transport";
import { ack, ChannelHttpError, parseState, poll, register } from "./transport";
import type { ChannelState, ControlDesired } from "./types";

/**
 * The agent-side control client. The connection (register, SSE stream, long-poll
 * fallback, reconnects) runs in the background; the agent only ever reads local
 * state: `checkpoint()` costs a property read while the run is running, waits while
 * it is paused and throws RunKilledError once it is killed; `signal` aborts in-flight
 * model and tool calls on a kill. Level-triggered: the client keeps the highest
 * version it has seen, so duplicates, replays and reconnects are harmless, and a
 * killed run never comes back to life on this side.
 */
export type ControlState = { desired: ControlDesired; version: number; reason: string; actor: string };

export type AppliedInfo = {
  action: "kill" | "pause" | "resume";
  desired: ControlDesired;
  version: number;
  /** The span that was active where it took effect (when @opentelemetry/api is available). */
  spanId: string | undefined;
};

export type ConnectControlOptions = {
  /** The collector's base URL, e.g. http://localhost:4318 (the OTLP endpoint). */
  endpoint: string;
  /** A project API key with the ingest (or operate) scope: usually the key the agent exports spans with. */
  apiKey: string;
  /** The run's 32-hex trace id (see runIdFromActiveSpan()). */
  runId: string;
  /** service.name / service.instance.id of the agent, so agent-wide commands reach this run before its spans do. */
  serviceName?: string;
  instanceId?: string;
  /**
   * Fail-closed: when Causeway has been unreachable for `afterMs` (default 10 s), checkpoint() waits
   * (`action: "wait"`, default) or throws ControlUnavailableError (`"throw"`). Default: fail-open, the
   * agent keeps going with the last known state.
   */
  failClosed?: boolean | { afterMs?: number; action?: "wait" | "throw" };
  /** Aborting it closes the client. */
  signal?: AbortSignal;
  /** How long connectControl waits for the first state before resolving anyway (default 3 s). */
  connectTimeoutMs?: number;
  /** Called where a command took effect (with the span id), e.g. to record it in another tracer. */
  onApplied?: (info: AppliedInfo) => void;
  /** Connection problems (the client keeps retrying on its own). Default: one console.warn per kind of problem. */
  onError?: (error: Error) => void;
  /** Long-poll duration while the stream is down (seconds, default 25). */
  pollTimeoutSeconds?: number;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
};

export type ControlClient = {
  /** Resolves at once while running; waits while paused; throws RunKilledError once killed. */
  checkpoint(): Promise<void>;
  /** Aborts (reason: RunKilledError) when the run is killed: pass it to model and tool calls. */
  readonly signal: AbortSignal;
  readonly state: ControlState;
  /** A stream to Causeway is open right now. */
  readonly connected: boolean;
  onChange(listener: (state: ControlState) => void): () => void;
  /** Stops listening (waits briefly for acknowledgements still in flight). Does not abort `signal`. */
  close(): Promise<void>;
};

const RESOLVED: Promise<void> = Promise.resolve();
const DEFAULT_FAIL_CLOSED_MS = 10_000;

export async function connectControl(opts: ConnectControlOptions): Promise<ControlClient> {
  const client = new Control(opts);
  await client.firstState(opts.connectTimeoutMs ?? 3000);
  return client;
}

class Control implements ControlClient {
  private current: ControlState = { desired: "running", version: 0, reason: "", actor: "" };
  private known = false;
  private fast = true;
  private tripped = false;
  private closed = false;
  private readonly kill = new AbortController();
  private readonly stop = new AbortController();
  private readonly channel: Channel;
  private readonly otel: OtelApi | null;
  private readonly listeners = new Set<(s: ControlState) => void>();
  private wakers: (() => void)[] = [];
  private waiting = 0;
  private appliedVersion = -1;
  /** OpenTelemetry context of the latest checkpoint: where a kill arriving between checkpoints takes effect. */
  private lastContext: unknown = undefined;
  private lastContact = Date.now();
  private stream: ControlStream | null = null;
  private polling: AbortController | null = null;
  private registered = false;
  private heartbeatMs = 15_000;
  private acks = new Set<Promise<void>>();
  private reported = new Set<string>();
  private firstStateWaiters: (() => void)[] = [];
  private timers: ReturnType<typeof setTimeout>[] = [];
  readonly signal: AbortSignal;
  private readonly opts: ConnectControlOptions;

  constructor(opts: ConnectControlOptions) {
    this.opts = opts;
    if (!/^[0-9a-f]{32}$/i.test(opts.runId))
      throw new TypeError(`connectControl: runId must be a 32-hex trace id, got "${opts.runId}"`);
    this.channel = {
      endpoint: opts.endpoint,
      apiKey: opts.apiKey,
      runId: opts.runId.toLowerCase(),
      fetch: opts.fetch ?? globalThis.fetch.bind(globalThis),
    };
    this.signal = this.kill.signal;
    this.otel = otelApi();
    if (opts.signal) {
      if (opts.signal.aborted) void this.close();
      else opts.signal.addEventListener("abort", () => void this.close(), { once: true });
    }
    if (opts.failClosed) {
      const t = setInterval(() => this.checkReachable(), 250);
      unref(t);
      this.timers.push(t);
    }
    void this.run();
  }

  /** The hot path: a property read and a context lookup while running. */
  checkpoint = (): Promise<void> => {
    if (this.fast) {
      if (this.otel) this.lastContext = this.otel.context.active();
      return RESOLVED;
    }
    return this.slowCheckpoint();
  };

  get state(): ControlState {
    return { ...this.current };
  }

  get connected(): boolean {
    return this.stream?.open === true;
  }

  onChange(listener: (state: ControlState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    for (const t of this.timers) clearTimeout(t);
    this.wake();
    for (const w of this.firstStateWaiters.splice(0)) w();
    const pending = Promise.allSettled([...this.acks]);
    await Promise.race([pending, sleep(1000)]);
  }

  firstState(timeoutMs: number): Promise<void> {
    if (this.known || this.closed) return RESOLVED;
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs); // not unref'd: the caller is waiting on it
      this.firstStateWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  // ───────── state ─────────

  private receive(raw: ChannelState): void {
    this.contact();
    const first = !this.known;
    this.known = true;
    for (const w of this.firstStateWaiters.splice(0)) w();
    const next = parseState(raw);
    if (!next) return;
    if (!first && next.version <= this.current.version) return;
    if (this.current.desired === "killed") return; // a kill is final here, whatever arrives later
    this.current = { desired: next.desired, version: next.version, reason: next.reason, actor: next.actor };
    this.fast = this.current.desired === "running" && !this.tripped;
    if (this.current.desired === "killed") {
      this.kill.abort(this.killedError());
      this.applied(this.current, this.spanOfLastCheckpoint());
    } else if (this.waiting === 0) {
      // Paused: in effect at the next checkpoint; running again: in effect now.
      if (this.current.desired === "paused") this.sendAck({ version: this.current.version, applied: false });
      else this.applied(this.current, undefined);
    }
    // A checkpoint held right now wakes up and records the new state where the agent is.
    this.wake();
    for (const l of [...this.listeners]) {
      try {
        l(this.state);
      } catch {
        // a listener's failure is not the control client's
      }
    }
  }

  private async slowCheckpoint(): Promise<void> {
    if (this.otel) this.lastContext = this.otel.context.active();
    for (;;) {
      const s = this.current;
      if (s.desired === "killed") {
        this.applied(s, this.otel?.trace.getActiveSpan());
        throw this.killedError();
      }
      if (this.closed) return;
      if (s.desired === "paused") {
        this.applied(s, this.otel?.trace.getActiveSpan());
      } else if (this.tripped) {
        if (this.failClosedAction() === "throw")
          throw new ControlUnavailableError(`Causeway has been unreachable for over ${this.failClosedMs()} ms (fail-closed)`);
      } else {
        this.applied(s, this.otel?.trace.getActiveSpan()); // once per version: a resume, where the agent continues
        return;
      }
      this.waiting++;
      // The client's own timers are unref'd (it must never keep a finished agent alive), but an agent
      // held in a checkpoint is not finished: keep the process up while it waits.
      const keepAlive = setInterval(() => {}, 60_000);
      try {
        await new Promise<void>((resolve) => this.wakers.push(resolve));
      } finally {
        clearInterval(keepAlive);
        this.waiting--;
      }
    }
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }

  /** Records where a state took effect (span event, hook) and acknowledges it as applied; once per version. */
  private applied(s: ControlState, span: ReturnType<OtelApi["trace"]["getActiveSpan"]>): void {
    if (s.version <= this.appliedVersion) return;
    this.appliedVersion = s.version;
    if (s.version === 0) return; // no command was ever given: nothing took effect
    const action = s.desired === "killed" ? "kill" : s.desired === "paused" ? "pause" : "resume";
    const spanId = spanIdOf(span);
    if (span?.isRecording())
      span.addEvent("causeway.control.applied", {
        "causeway.control.action": action,
        "causeway.control.version": s.version,
        "causeway.control.reason": s.reason,
        "causeway.control.actor": s.actor,
      });
    try {
      this.opts.onApplied?.({ action, desired: s.desired, version: s.version, spanId });
    } catch {
      // the hook's failure must not break the agent's checkpoint
    }
    this.sendAck({ version: s.version, applied: true, ...(spanId ? { spanId } : {}) });
  }

  private spanOfLastCheckpoint() {
    const otel = this.otel;
    if (!otel) return undefined;
    return (this.lastContext !== undefined ? otel.trace.getSpan(this.lastContext) : undefined) ?? otel.trace.getActiveSpan();
  }

  private killedError(): RunKilledError {
    const s = this.current;
    return new RunKilledError({ runId: this.channel.runId, reason: s.reason, actor: s.actor, version: s.version });
  }

  // ───────── reachability (fail-closed) ─────────

  private contact(): void {
    this.lastContact = Date.now();
    if (this.tripped) {
      this.tripped = false;
      this.fast = this.current.desired === "running";
      this.wake();
    }
  }

  private checkReachable(): void {
    if (this.tripped || this.closed || this.connected) return;
    if (Date.now() - this.lastContact > this.failClosedMs()) {
      this.tripped = true;
      this.fast = false;
    }
  }

  private failClosedMs(): number {
    const f = this.opts.failClosed;
    return (typeof f === "object" && f.afterMs) || DEFAULT_FAIL_CLOSED_MS;
  }

  private failClosedAction(): "wait" | "throw" {
    const f = this.opts.failClosed;
    return typeof f === "object" && f.action === "throw" ? "throw" : "wait";
  }

  // ───────── connection ─────────

  /** Stream while possible; long-poll while it is down; keep retrying the stream with backoff. */
  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      if (!this.registered) await this.tryRegister();
      if (this.closed) break;
      const stream = new ControlStream(this.channel, {
        lastVersion: this.known ? this.current.version : null,
        staleAfterMs: this.heartbeatMs * 3 + 2000,
        signal: this.stop.signal,
        onOpen: () => {
          attempt = 0;
          this.stopPolling();
          this.contact();
        },
        onActivity: () => this.contact(),
        onState: (raw) => this.receive(raw),
      });
      this.stream = stream;
      try {
        await stream.run();
      } catch (error) {
        this.report(error as Error);
      }
      this.stream = null;
      if (this.closed) break;
      this.startPolling();
      await sleep(backoffDelay(attempt++, this.opts.backoff ?? DEFAULT_BACKOFF), this.stop.signal);
    }
    this.stopPolling();
  }

  private async tryRegister(): Promise<void> {
    try {
      const r = await register(
        this.channel,
        { ...(this.opts.serviceName ? { serviceName: this.opts.serviceName } : {}), instanceId: this.opts.instanceId },
        this.stop.signal,
      );
      this.registered = true;
      this.heartbeatMs = r.heartbeatMs;
      this.receive(r.state);
    } catch (error) {
      this.report(error as Error);
      // Fail-open: nothing to wait for when Causeway cannot be reached; fail-closed waits (bounded) for it.
      if (!this.opts.failClosed) for (const w of this.firstStateWaiters.splice(0)) w();
    }
  }

  private startPolling(): void {
    if (this.polling || this.closed) return;
    const ctl = new AbortController();
    this.polling = ctl;
    const stopped = () => ctl.signal.aborted || this.stop.signal.aborted;
    const signal = AbortSignal.any([ctl.signal, this.stop.signal]);
    void (async () => {
      let attempt = 0;
      while (!stopped()) {
        try {
          // Until a first state is known, ask without waiting: the answer is the state itself.
          const timeout = this.known ? (this.opts.pollTimeoutSeconds ?? 25) : 0;
          const state = await poll(this.channel, this.known ? this.current.version : 0, timeout, signal);
          attempt = 0;
          this.receive(state);
        } catch (error) {
          if (stopped()) break;
          this.report(error as Error);
          await sleep(backoffDelay(attempt++, this.opts.backoff ?? DEFAULT_BACKOFF), signal);
        }
      }
    })();
  }

  private stopPolling(): void {
    this.polling?.abort();
    this.polling = null;
  }

  private sendAck(body: { version: number; applied: boolean; spanId?: string }): void {
    if (body.version === 0) return;
    const attempt = async () => {
      for (let i = 0; i < 5 && !this.stop.signal.aborted; i++) {
        try {
          await ack(this.channel, body, AbortSignal.timeout(5000));
          this.contact();
          return;
        } catch (error) {
          if (error instanceof ChannelHttpError && error.status < 500 && error.status !== 429) return this.report(error);
          await sleep(backoffDelay(i, this.opts.backoff ?? DEFAULT_BACKOFF), this.stop.signal);
        }
      }
    };
    const p = attempt().catch(() => {});
    this.acks.add(p);
    void p.finally(() => this.acks.delete(p));
  }

  private report(error: Error): void {
    if (this.closed || error.name === "AbortError") return;
    if (this.opts.onError) return this.opts.onError(error);
    const kind = error instanceof ChannelHttpError ? `http ${error.status}` : error.name;
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    console.warn(`[causeway control] ${error.message} (retrying; the agent keeps its last known state)`);
  }
}

function unref(t: unknown): void {
  (t as { unref?: () => void }).unref?.();
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    unref(t);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
