import pg from "pg";
import { webEnv } from "@/lib/server/env";
import { createLogger } from "@/lib/log";

/**
 * One LISTEN connection per web process, shared by every open live stream
 * (SSE) of every browser: a notification is parsed once and fanned out in
 * memory. Reconnects with backoff when the database goes away; while it is
 * away, subscribers are told so they can fall back to polling.
 */
export type ChannelListener = (payload: string) => void;
type StatusListener = (connected: boolean) => void;

const log = createLogger("live");
const holder = globalThis as unknown as { causewayNotifications?: Notifications };

class Notifications {
  private client: pg.Client | null = null;
  private listeners = new Map<string, Set<ChannelListener>>();
  private statusListeners = new Set<StatusListener>();
  private connecting: Promise<void> | null = null;
  private retryMs = 250;
  private closed = false;
  connected = false;

  constructor(private readonly url: string) {}

  subscribe(channel: string, listener: ChannelListener, onStatus?: StatusListener): () => void {
    const set = this.listeners.get(channel) ?? new Set();
    const isNew = set.size === 0;
    set.add(listener);
    this.listeners.set(channel, set);
    if (onStatus) this.statusListeners.add(onStatus);
    if (isNew && this.client && this.connected) void this.client.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    void this.connect();
    return () => {
      set.delete(listener);
      if (onStatus) this.statusListeners.delete(onStatus);
    };
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: "causeway-web-live" });
    client.on("notification", (n) => {
      for (const l of this.listeners.get(n.channel) ?? []) l(n.payload ?? "");
    });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      this.client = client;
      this.setConnected(true);
      this.retryMs = 250;
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client && this.client !== client) return;
    this.client = null;
    client.removeAllListeners("end");
    void client.end().catch(() => {});
    this.setConnected(false);
    if (this.closed) return;
    log.warn(`live notifications unavailable (${err.message}); retrying in ${this.retryMs} ms`);
    setTimeout(() => void this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, 10_000);
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const l of this.statusListeners) l(connected);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
    }
  }
}

export function notifications(): Notifications {
  holder.causewayNotifications ??= new Notifications(webEnv().DATABASE_URL);
  return holder.causewayNotifications;
}

/** For tests and shutdown: drop the LISTEN connection. */
export async function closeNotifications(): Promise<void> {
  await holder.causewayNotifications?.close();
  holder.causewayNotifications = undefined;
}
