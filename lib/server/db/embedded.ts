/**
 * Embedded Postgres: one PGlite database served over the Postgres wire protocol
 * on loopback, so several OS processes can share it through ordinary `pg`
 * clients (and Prisma's `@prisma/adapter-pg`).
 *
 * PGlite is a single Postgres backend, so every client connection is
 * multiplexed onto it. To keep that correct:
 *  - A connection's messages run as one atomic unit up to the message after
 *    which the client waits for a reply (Sync, Query, Flush, FunctionCall).
 *    Otherwise another connection's Parse could replace the shared unnamed
 *    statement between this connection's Parse and Bind.
 *  - A connection that is inside a transaction block (or between a Flush and
 *    its Sync) keeps the database locked until it leaves it; other
 *    connections queue FIFO. If it disconnects there, we roll it back.
 *  - Named prepared statements are prefixed per connection, since all
 *    connections share one backend's statement namespace.
 *  - Notifications go to the connections that LISTEN on their channel, not to
 *    the one that happened to be running (embedded-notify.ts).
 */
import { mkdirSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { BackendStream, NotificationRouter, type Listener } from "@/lib/server/db/embedded-notify";

export interface EmbeddedPostgres {
  url: string;
  port: number;
  db: PGlite;
  stop(): Promise<void>;
}

const PROTOCOL_3 = 196608; // startup packet: protocol version 3.0
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const code = (c: string) => c.charCodeAt(0);
/** Frontend messages after which the client expects a response. */
const UNIT_END = new Set(["S", "Q", "H", "F"].map(code));

/** A frontend message: 1 type byte + int32 length (which counts itself). */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.from([code(type), 0, 0, 0, 0]);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const SYNC = message("S", Buffer.alloc(0));
const cstr = (s: string) => Buffer.from(`${s}\0`);

/**
 * Prefix the statement name in Parse, Bind (after the portal name), Describe('S') and Close('S').
 * The unnamed statement ("") stays shared: a client uses it within one unit
 * (or a Flush..Sync sequence, which keeps the lock). Portals need no prefix:
 * they die at the end of a transaction, which one connection at a time can be in.
 */
function prefixStatement(msg: Buffer, prefix: string): Buffer {
  const t = String.fromCharCode(msg[0]!);
  const at = t === "P" ? 5 : t === "B" ? msg.indexOf(0, 5) + 1 : (t === "D" || t === "C") && msg[5] === code("S") ? 6 : -1;
  if (at < 0 || msg[at] === 0) return msg;
  const out = Buffer.concat([msg.subarray(0, at), Buffer.from(prefix), msg.subarray(at)]);
  out.writeInt32BE(out.length - 1, 1);
  return out;
}

/** Messages to run atomically; `last` is the final message's type (0: startup packet). */
type Unit = { data: Buffer; last: number };

/** Runs fn holding PGlite's locks, so in-process db.query/db.transaction calls wait too. */
type Lock = <T>(fn: () => Promise<T>) => Promise<T>;

let nextId = 1;

class Connection implements Listener {
  readonly id = nextId++;
  private buf: Buffer = Buffer.alloc(0);
  private pending: Buffer[] = []; // messages of the unit being received
  private units: Unit[] = [];
  private started = false; // startup packet seen
  private midExtended = false; // last unit ended with Flush: more of it will follow
  private statements = new Set<string>(); // prefixed names this connection parsed
  private closed = false;
  private finished = false;
  private pumping = false;
  private relisten: string[] = []; // channels to LISTEN again after this unit (others still need them)
  private wake: (() => void) | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly socket: Socket,
    private db: PGlite,
    private lock: Lock,
    private log: (...a: unknown[]) => void,
    private notifications: NotificationRouter,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("error", (err) => this.log(`conn ${this.id} error`, err.message));
    socket.on("close", () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.closed && (this.started ? this.takeMessage() : this.takeStartup()));
    if (this.units.length === 0) return;
    this.wake?.(); // our session may be holding the lock, waiting for this unit
    void this.pump();
  }

  /** Before startup the client may send untyped packets: SSL/GSS/Cancel requests, startup. */
  private takeStartup(): boolean {
    if (this.buf.length < 8) return false;
    const len = this.buf.readInt32BE(0);
    if (len < 8) return this.fail("bad startup packet length");
    if (this.buf.length < len) return false;
    const packet = this.buf.subarray(0, len);
    this.buf = this.buf.subarray(len);
    const version = packet.readInt32BE(4);
    if (version === SSL_REQUEST || version === GSSENC_REQUEST) {
      this.socket.write("N"); // no encryption; client continues in plaintext
    } else if (version === PROTOCOL_3) {
      this.started = true; // PGlite answers it (recognised by its leading 0 byte)
      this.units.push({ data: Buffer.from(packet), last: 0 });
    } else {
      // A running unit cannot be interrupted, so CancelRequest is not supported.
      this.log(`conn ${this.id}:`, version === CANCEL_REQUEST ? "CancelRequest ignored" : "unknown protocol");
      this.socket.destroy();
    }
    return true;
  }

  private takeMessage(): boolean {
    if (this.buf.length < 5) return false;
    const len = 1 + this.buf.readInt32BE(1);
    if (len < 5) return this.fail("bad message length");
    if (this.buf.length < len) return false;
    const msg = prefixStatement(Buffer.from(this.buf.subarray(0, len)), `c${this.id}_`);
    this.buf = this.buf.subarray(len);
    const type = msg[0]!;
    if (type === code("X")) {
      // Terminate: not forwarded (for PGlite it would mean its own shutdown).
      this.socket.end();
      return false;
    }
    if (type === code("P") && msg[5] !== 0) this.statements.add(msg.toString("utf8", 5, msg.indexOf(0, 5)));
    if (type === code("Q")) this.relisten.push(...this.notifications.track(this, msg.toString("utf8", 5, msg.length - 1)));
    if (type === code("P")) {
      const query = msg.indexOf(0, 5) + 1; // after the statement name
      this.relisten.push(...this.notifications.track(this, msg.toString("utf8", query, msg.indexOf(0, query))));
    }
    this.pending.push(msg);
    if (UNIT_END.has(type)) {
      this.units.push({ data: Buffer.concat(this.pending), last: type });
      this.pending = [];
    }
    return true;
  }

  /** Garbage from the client: drop the connection (cleanup runs on "close"). */
  private fail(why: string): false {
    this.log(`conn ${this.id}: ${why}`);
    this.socket.destroy();
    return false;
  }

  deliver(message: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(message);
  }

  private onClose(): void {
    this.closed = true;
    this.notifications.forget(this);
    this.wake?.();
    void this.pump();
  }

  /** Acquire the database for queued units (or for cleanup once closed). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.finished && (this.units.length > 0 || this.closed)) {
        await this.lock(() => this.session());
      }
    } catch (err) {
      this.log(`conn ${this.id} cleanup failed`, err);
      this.finished = true;
    } finally {
      this.pumping = false;
      if (this.finished) this.resolveDone();
    }
  }

  /** Holds the lock: runs units while this connection must keep the backend to itself. */
  private async session(): Promise<void> {
    do {
      while (this.units.length === 0 && !this.closed) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = null;
      }
      if (this.closed) return this.cleanup();
      await this.execute(this.units.shift()!);
    } while (this.db.isInTransaction() || this.midExtended);
  }

  private async execute(unit: Unit): Promise<void> {
    let live = true; // PGlite keeps the callback after the call; ignore late output
    const output = new BackendStream(
      (bytes) => void (!this.socket.destroyed && this.socket.write(bytes)),
      (notification) => this.notifications.deliver(notification),
    );
    try {
      await this.db.execProtocolRawStream(unit.data, {
        onRawData: (d) => live && output.push(Buffer.from(d)),
      });
      if (this.relisten.length) await this.relistenChannels();
    } catch (err) {
      this.log(`conn ${this.id} protocol error`, err);
      this.socket.destroy();
      this.closed = true;
    } finally {
      live = false;
    }
    this.midExtended = unit.last === code("H");
  }

  /** This connection's UNLISTEN also stopped the shared backend listening for others: listen again. */
  private async relistenChannels(): Promise<void> {
    const sql = this.relisten.map((c) => `LISTEN "${c.replace(/"/g, '""')}";`).join("");
    this.relisten = [];
    await this.db.execProtocolRawStream(message("Q", cstr(sql)), { onRawData: () => {} });
  }

  /** Connection gone: leave the backend as if it had never been there. */
  private async cleanup(): Promise<void> {
    this.finished = true;
    const run = (msgs: Buffer[]) => this.db.execProtocolRawStream(Buffer.concat(msgs), { onRawData: () => {} });
    // After an error the backend skips messages until Sync; Sync also ends
    // the implicit transaction of an unfinished extended-protocol sequence.
    if (this.midExtended) await run([SYNC]);
    const msgs = [...this.statements].map((s) => message("C", Buffer.concat([cstr("S"), cstr(s)])));
    if (this.db.isInTransaction()) {
      this.log(`conn ${this.id} closed inside a transaction: rolling back`);
      msgs.unshift(message("Q", cstr("ROLLBACK")));
    }
    if (msgs.length) await run([...msgs, SYNC]);
  }
}

export async function startEmbeddedPostgres(
  opts: { dataDir?: string; host?: string; port?: number; debug?: boolean } = {},
): Promise<EmbeddedPostgres> {
  const log = opts.debug ? (...a: unknown[]) => console.log("[embedded-pg]", ...a) : () => {};
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir);
  // Also take the transaction mutex: an in-process db.transaction() holds it
  // throughout but takes the query mutex (runExclusive) only per query, and
  // a wire unit must not run inside that transaction.
  const lock: Lock = (fn) => db._runExclusiveTransaction(() => db.runExclusive(fn));
  const conns = new Set<Connection>();
  const notifications = new NotificationRouter();
  const server = createServer((socket) => {
    const conn = new Connection(socket, db, lock, log, notifications);
    conns.add(conn);
    void conn.done.then(() => conns.delete(conn));
    log(`conn ${conn.id} opened (${conns.size} open)`);
  });
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, resolve);
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  server.on("error", (err) => log("server error", err));
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const c of conns) c.socket.destroy();
    await Promise.all([...conns].map((c) => c.done));
    await closed;
    await db.close(); // flushes to dataDir
  };
  return {
    url: `postgresql://postgres@${urlHost}:${port}/postgres?sslmode=disable`,
    port,
    db,
    stop: () => (stopping ??= stop()),
  };
}
