import type { AckBody, ChannelPolled, ChannelRegistered, ChannelState, RegisterBody } from "./types";

/**
 * HTTP calls of the agent channel (shapes in lib/control/wire.ts, imported as types
 * only: the client carries no validation library). Responses are checked by hand,
 * since a proxy or an old collector may answer something else.
 */
export type Channel = { endpoint: string; apiKey: string; runId: string; fetch: typeof fetch };

export class ChannelHttpError extends Error {
  override name = "ChannelHttpError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const url = (c: Channel, verb: string, query = "") =>
  `${c.endpoint.replace(/\/+$/, "")}/v1/control/runs/${c.runId}/${verb}${query}`;

const headers = (c: Channel, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${c.apiKey}`, ...extra });

async function call(c: Channel, verb: string, init: RequestInit, query = ""): Promise<unknown> {
  const res = await c.fetch(url(c, verb, query), init);
  const text = await res.text();
  if (!res.ok) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the text
    }
    throw new ChannelHttpError(res.status, `control ${verb}: HTTP ${res.status} ${message}`);
  }
  return JSON.parse(text) as unknown;
}

export function parseState(value: unknown): ChannelState | null {
  const v = value as Partial<ChannelState> | null;
  if (!v || typeof v !== "object") return null;
  if (v.desired !== "running" && v.desired !== "paused" && v.desired !== "killed") return null;
  if (typeof v.version !== "number" || !Number.isInteger(v.version) || v.version < 0) return null;
  return {
    runId: typeof v.runId === "string" ? v.runId : "",
    desired: v.desired,
    version: v.version,
    reason: typeof v.reason === "string" ? v.reason : "",
    actor: typeof v.actor === "string" ? v.actor : "",
    source: v.source === "run" || v.source === "agent" ? v.source : "none",
  };
}

export async function register(
  c: Channel,
  body: RegisterBody,
  signal: AbortSignal,
): Promise<{ state: ChannelState; heartbeatMs: number }> {
  const r = (await call(c, "register", {
    method: "POST",
    headers: headers(c, { "content-type": "application/json" }),
    body: JSON.stringify(body),
    signal,
  })) as Partial<ChannelRegistered>;
  const state = parseState(r.state);
  if (!state) throw new Error("control register: unexpected response");
  return { state, heartbeatMs: typeof r.heartbeatMs === "number" && r.heartbeatMs > 0 ? r.heartbeatMs : 15_000 };
}

export async function poll(c: Channel, after: number, timeoutSeconds: number, signal: AbortSignal): Promise<ChannelState> {
  const r = (await call(
    c,
    "poll",
    { headers: headers(c), signal },
    `?after=${after}&timeout=${timeoutSeconds}`,
  )) as Partial<ChannelPolled>;
  const state = parseState(r.state);
  if (!state) throw new Error("control poll: unexpected response");
  return state;
}

export async function ack(c: Channel, body: AckBody, signal: AbortSignal): Promise<void> {
  await call(c, "ack", {
    method: "POST",
    headers: headers(c, { "content-type": "application/json" }),
    body: JSON.stringify(body),
    signal,
  });
}

/** Opens the event stream; resolves with the response once the server accepted it. */
export async function openStream(c: Channel, lastVersion: number | null, signal: AbortSignal): Promise<Response> {
  const res = await c.fetch(url(c, "stream"), {
    headers: headers(c, {
      accept: "text/event-stream",
      ...(lastVersion !== null ? { "last-event-id": String(lastVersion) } : {}),
    }),
    signal,
  });
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => "");
    throw new ChannelHttpError(res.status, `control stream: HTTP ${res.status} ${text.slice(0, 300)}`);
  }
  return res;
}
