/**
 * LISTEN/NOTIFY for the embedded server. PGlite is one backend session shared by
 * every client connection, so Postgres sends a NotificationResponse ('A') to
 * whichever connection happens to be running when a notifying transaction
 * commits — not to the connections that asked for it. This router remembers which
 * connection listens to which channel (from the LISTEN/UNLISTEN statements they
 * send), takes 'A' messages out of the running connection's output and delivers
 * each to every connection listening on its channel, as a real server would.
 */

/** A client connection as the router sees it: something to write whole backend messages to. */
export interface Listener {
  deliver(message: Buffer): void;
}

const STATEMENT = /\b(UN)?LISTEN\s+(\*|"(?:[^"]|"")+"|[A-Za-z_][\w$]*)/gi;

/** Channel name as Postgres folds it: quoted names keep their case, unquoted ones are lowercased. */
function channelName(token: string): string {
  return token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token.toLowerCase();
}

export class NotificationRouter {
  private channels = new Map<string, Set<Listener>>();

  /**
   * Records the LISTEN/UNLISTEN statements of a query text (Query or Parse message).
   * Returns the channels the backend must keep listening to because other
   * connections still need them after this one's UNLISTEN ran.
   */
  track(conn: Listener, sql: string): string[] {
    if (!/listen/i.test(sql)) return [];
    const relisten: string[] = [];
    for (const m of sql.matchAll(STATEMENT)) {
      const unlisten = !!m[1];
      const name = m[2]!;
      if (!unlisten) {
        const c = channelName(name);
        const set = this.channels.get(c) ?? new Set();
        set.add(conn);
        this.channels.set(c, set);
        continue;
      }
      for (const [c, set] of this.channels) {
        if (name !== "*" && c !== channelName(name)) continue;
        set.delete(conn);
        if (set.size > 0) relisten.push(c);
      }
    }
    return relisten;
  }

  forget(conn: Listener): void {
    for (const set of this.channels.values()) set.delete(conn);
  }

  /** Delivers one NotificationResponse message (type byte included) to its channel's listeners. */
  deliver(message: Buffer): void {
    // Body: int32 sender pid, channel cstring, payload cstring.
    const end = message.indexOf(0, 9);
    const channel = message.toString("utf8", 9, end < 0 ? message.length : end);
    for (const conn of this.channels.get(channel) ?? []) conn.deliver(message);
  }
}

/**
 * Splits one connection's backend output stream into pass-through bytes and 'A'
 * messages. Chunks without a notification pass through without copying; message
 * boundaries may fall anywhere across chunks.
 */
export class BackendStream {
  private header = Buffer.alloc(0); // a partial 5-byte message header
  private remaining = 0; // bytes left of the current message body
  private capturing: Buffer[] | null = null; // the current message is an 'A' being collected

  constructor(
    private readonly pass: (bytes: Buffer) => void,
    private readonly notification: (message: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let at = 0; // start of the bytes of this chunk not yet passed through
    let i = 0;
    while (i < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - i);
        this.capturing?.push(chunk.subarray(i, i + take));
        i += take;
        this.remaining -= take;
        if (this.remaining === 0 && this.capturing) {
          this.endCapture();
          at = i;
        }
        continue;
      }
      const held = this.header.length; // header bytes from the previous chunk, not passed yet
      const take = Math.min(5 - held, chunk.length - i);
      const head = held ? Buffer.concat([this.header, chunk.subarray(i, i + take)]) : chunk.subarray(i, i + take);
      const start = i;
      i += take;
      if (head.length < 5) {
        // Hold a header split across chunks until its type is known.
        if (start > at) this.pass(chunk.subarray(at, start));
        this.header = Buffer.from(head);
        return;
      }
      this.header = Buffer.alloc(0);
      this.remaining = head.readInt32BE(1) - 4;
      if (head[0] !== 0x41 /* 'A' */) {
        if (held) this.pass(head.subarray(0, held));
        continue;
      }
      if (start > at) this.pass(chunk.subarray(at, start));
      this.capturing = [Buffer.from(head)];
      at = i;
      if (this.remaining === 0) this.endCapture();
    }
    if (!this.capturing && at < chunk.length) this.pass(chunk.subarray(at));
  }

  private endCapture(): void {
    this.notification(Buffer.concat(this.capturing!));
    this.capturing = null;
  }
}
