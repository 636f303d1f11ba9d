import type { ServerResponse } from "node:http";

/**
 * Server-sent events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * Data is one JSON line, so it never needs splitting across `data:` lines.
 */
export function formatSseEvent(e: { id?: string; event?: string; data: string }): string {
  if (/[\r\n]/.test(e.data) || /[\r\n]/.test(e.id ?? "") || /[\r\n]/.test(e.event ?? ""))
    throw new Error("SSE fields must be single lines");
  return `${e.id !== undefined ? `id: ${e.id}\n` : ""}${e.event ? `event: ${e.event}\n` : ""}data: ${e.data}\n\n`;
}

/** A comment line: ignored by clients, but it keeps proxies from closing the idle connection and shows liveness. */
export const SSE_HEARTBEAT = ": heartbeat\n\n";

export function startSse(res: ServerResponse): void {
  res.socket?.setNoDelay(true); // a command is a few hundred bytes: send it now, not after Nagle's delay
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no", // nginx: do not buffer the stream
  });
  res.write(": connected\n\n");
}
