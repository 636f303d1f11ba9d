import type { AckBody, ChannelState, ControlDesired } from "@/lib/agent/types";

/**
 * An in-memory agent channel behind a fake `fetch`: register, an SSE stream, long
 * polls and acks, with switches to drop streams and to go unreachable. For unit tests
 * of the client's state handling; the real collector is covered by integration tests.
 */
export class FakeChannel {
  state: ChannelState;
  acks: AckBody[] = [];
  calls: { verb: string; lastEventId: string | null; query: string }[] = [];
  down = false;
  streamRefused = false;
  private streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private polls = new Set<() => void>();
  private enc = new TextEncoder();

  constructor(runId: string) {
    this.state = { runId, desired: "running", version: 0, reason: "", actor: "", source: "none" };
  }

  set(desired: ControlDesired, reason = "", actor = "op@example.com"): void {
    this.state = { ...this.state, desired, reason, actor, version: this.state.version + 1, source: "run" };
    for (const c of this.streams) c.enqueue(this.event(this.state));
    for (const p of [...this.polls]) p();
  }

  /** Sends a stale or duplicate state on every open stream. */
  replay(state: ChannelState): void {
    for (const c of this.streams) c.enqueue(this.event(state));
  }

  dropStreams(): void {
    for (const c of this.streams) c.close();
    this.streams.clear();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  private event(s: ChannelState): Uint8Array {
    return this.enc.encode(`id: ${s.version}\nevent: state\ndata: ${JSON.stringify(s)}\n\n`);
  }

  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const verb = url.pathname.split("/").pop()!;
    const headers = new Headers(init.headers);
    this.calls.push({ verb, lastEventId: headers.get("last-event-id"), query: url.search });
    if (this.down) throw new TypeError("fetch failed");
    const json = (body: unknown) => Response.json(body);
    if (verb === "register") return json({ state: this.state, heartbeatMs: 60_000 });
    if (verb === "ack") {
      this.acks.push(JSON.parse(String(init.body)) as AckBody);
      return json({ ok: true });
    }
    if (verb === "poll") {
      const after = Number(url.searchParams.get("after"));
      const timeout = Number(url.searchParams.get("timeout"));
      if (this.state.version <= after && timeout > 0)
        await new Promise<void>((resolve) => {
          const done = () => {
            this.polls.delete(done);
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(done, timeout * 1000);
          this.polls.add(done);
          init.signal?.addEventListener("abort", done);
        });
      if (init.signal?.aborted) throw new DOMException("aborted", "AbortError");
      return json({ state: this.state, changed: this.state.version > after });
    }
    if (verb === "stream") {
      if (this.streamRefused) return new Response("no", { status: 503 });
      const last = Number(headers.get("last-event-id") ?? -1);
      let ctl!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          ctl = c;
          this.streams.add(c);
          c.enqueue(this.enc.encode(": connected\n\n"));
          if (this.state.version > last) c.enqueue(this.event(this.state));
        },
        cancel: () => void this.streams.delete(ctl),
      });
      init.signal?.addEventListener("abort", () => {
        this.streams.delete(ctl);
        try {
          ctl.error(init.signal!.reason);
        } catch {
          // already closed
        }
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    }
    return new Response("not found", { status: 404 });
  };
}
