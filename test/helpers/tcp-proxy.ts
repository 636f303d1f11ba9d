import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP proxy for fault injection between a process and its database: every connection
 * is forwarded to `target` until `cut()`, which destroys all open connections and then
 * either refuses new ones (the listener is closed: connect() fails with ECONNREFUSED, as
 * when the database is down) or holds them (accepted, never answered: as when the database
 * host hangs). `restore()` forwards again on the same port.
 */
export type CutMode = "refuse" | "hold";

export type TcpProxy = {
  host: string;
  port: number;
  /** Connections currently forwarded. */
  readonly open: number;
  /** Connections accepted so far (forwarded, refused or held). */
  readonly accepted: number;
  readonly cutMode: CutMode | null;
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  cut(mode?: CutMode): Promise<void>;
  /**
   * Cuts as soon as a client sends `needle` (e.g. "BEGIN": in the middle of a transaction),
   * or after `timeoutMs` if none does. Resolves to whether the needle was seen.
   */
  cutOnNext(needle: string, mode?: CutMode, timeoutMs?: number): Promise<boolean>;
  restore(): Promise<void>;
  close(): Promise<void>;
};

/** host and port of a postgres:// URL (5432 when the port is omitted). */
export function hostPortOf(databaseUrl: string): { host: string; port: number } {
  const url = new URL(databaseUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1") || "127.0.0.1";
  return { host, port: url.port ? Number(url.port) : 5432 };
}

export async function startTcpProxy(target: { host: string; port: number }, listenHost = "127.0.0.1"): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const held = new Set<Socket>();
  let mode: CutMode | null = null;
  let accepted = 0;
  let closed = false;
  let trigger: { needle: Buffer; fire: () => void } | null = null;

  const onConnection = (client: Socket) => {
    accepted++;
    client.on("error", () => {});
    if (mode === "hold") {
      // Accepted but never answered: the client sees a connection that does nothing.
      client.pause();
      held.add(client);
      client.once("close", () => held.delete(client));
      return;
    }
    if (mode === "refuse") return void client.destroy();
    client.pause();
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", end);
    client.on("error", end);
    upstream.on("close", end);
    client.on("close", end);
    client.on("data", (chunk: Buffer) => {
      if (trigger && chunk.includes(trigger.needle)) {
        const t = trigger;
        trigger = null;
        setImmediate(t.fire); // after this chunk was forwarded
      }
    });
    upstream.once("connect", () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };

  let server: Server = createServer(onConnection);
  const listen = (srv: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(port, listenHost, () => {
        srv.off("error", reject);
        resolve((srv.address() as { port: number }).port);
      });
    });
  const port = await listen(server, 0);
  const closeServer = (srv: Server) => new Promise<void>((resolve) => srv.close(() => resolve()));
  const dropAll = () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
    for (const s of held) s.destroy();
    held.clear();
  };

  const restore = async () => {
    if (closed || mode === null) return;
    const was = mode;
    mode = null;
    for (const s of held) s.destroy();
    held.clear();
    if (was === "refuse") {
      server = createServer(onConnection);
      await listen(server, port);
    }
  };

  const cut = async (m: CutMode = "refuse") => {
    if (closed) throw new Error("proxy closed");
    if (mode === "refuse") await restore();
    mode = m;
    const stopped = m === "refuse" ? closeServer(server) : Promise.resolve();
    dropAll();
    await stopped;
  };

  return {
    host: listenHost,
    port,
    get open() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    get cutMode() {
      return mode;
    },
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = listenHost;
      url.port = String(port);
      return url.toString();
    },
    cut,
    async cutOnNext(needle, m = "refuse", timeoutMs = 5000) {
      const seen = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          trigger = null;
          resolve(false);
        }, timeoutMs);
        trigger = {
          needle: Buffer.from(needle),
          fire: () => {
            clearTimeout(timer);
            resolve(true);
          },
        };
      });
      await cut(m);
      return seen;
    },
    restore,
    async close() {
      if (closed) return;
      closed = true;
      const wasListening = mode !== "refuse";
      mode = "refuse";
      const stopped = wasListening ? closeServer(server) : Promise.resolve();
      dropAll();
      await stopped;
    },
  };
}
