/**
 * An incremental parser for server-sent events, per the WHATWG event-stream
 * interpretation rules (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation),
 * for reading an SSE response body through fetch (no EventSource: it cannot send an
 * Authorization header, and Node has none built in).
 */
export type SseEvent = { type: string; data: string; lastEventId: string };

export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private type = "";
  private started = false;
  private afterCR = false;
  /** The last `id:` seen; sent back as Last-Event-ID on reconnect. */
  lastEventId = "";
  /** The server's `retry:` in milliseconds, if it sent one. */
  retryMs: number | undefined;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    const events: SseEvent[] = [];
    let start = 0;
    // A line ending in CR ends at once; an LF right after it (maybe in the next chunk) belongs to it.
    if (this.afterCR && this.buffer.charCodeAt(0) === 10) start = 1;
    if (this.buffer.length > 0) this.afterCR = false;
    for (let i = start; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.buffer.slice(start, i);
      if (c === 13) {
        if (i + 1 === this.buffer.length) this.afterCR = true;
        else if (this.buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const event = this.line(line);
      if (event) events.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.charCodeAt(0) === 58) return null; // ":" comment (heartbeats)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.type = value;
    else if (field === "id") {
      if (!value.includes("\0")) this.lastEventId = value;
    } else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const type = this.type;
    this.data = [];
    this.type = "";
    if (data.length === 0) return null;
    return { type: type || "message", data: data.join("\n"), lastEventId: this.lastEventId };
  }
}
