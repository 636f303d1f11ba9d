import { SseParser } from "./sse";
import { openStream, type Channel } from "./transport";
import type { ChannelState } from "./types";

/**
 * One SSE connection to the agent channel. `run()` returns when the stream ends,
 * fails, or goes silent for `staleAfterMs` (the server sends a heartbeat comment
 * well within that, so silence means a dead connection a proxy did not close).
 */
export type StreamHandlers = {
  lastVersion: number | null;
  staleAfterMs: number;
  signal: AbortSignal;
  onOpen(): void;
  onActivity(): void;
  onState(state: ChannelState): void;
};

export class ControlStream {
  open = false;
  private readonly abort = new AbortController();
  private readonly channel: Channel;
  private readonly h: StreamHandlers;

  constructor(channel: Channel, handlers: StreamHandlers) {
    this.channel = channel;
    this.h = handlers;
  }

  async run(): Promise<void> {
    const signal = AbortSignal.any([this.abort.signal, this.h.signal]);
    let stale: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(stale);
      stale = setTimeout(() => this.abort.abort(new Error("control stream went silent")), this.h.staleAfterMs);
      (stale as { unref?: () => void }).unref?.();
    };
    try {
      arm();
      const res = await openStream(this.channel, this.h.lastVersion, signal);
      this.open = true;
      this.h.onOpen();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        arm();
        this.h.onActivity();
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          if (event.type !== "state") continue;
          try {
            this.h.onState(JSON.parse(event.data) as ChannelState);
          } catch {
            // a malformed event is skipped; the next one (or a reconnect) carries the full state again
          }
        }
      }
    } finally {
      this.open = false;
      clearTimeout(stale);
      this.abort.abort();
    }
  }
}
