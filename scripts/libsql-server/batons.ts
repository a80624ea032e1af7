// Hrana-over-HTTP streams and the batons that tie consecutive requests to them.
import { randomBytes } from 'node:crypto';
import type { Conn, ConnPool } from './connection.ts';
import { ProtocolError } from './protocol.ts';

export interface Stream {
  // Held across requests only while the stream needs it (open transaction or
  // connection-local state); otherwise it goes back to the pool in between.
  conn: Conn | null;
  sqls: Map<number, string>;
  closed: boolean;
}

interface Parked {
  stream: Stream;
  timer: NodeJS.Timeout;
}

// Expired batons are remembered for a while so the client gets "expired"
// rather than "invalid", which is what sqld reports too.
const EXPIRED_MEMORY = 1000;

export class Streams {
  private readonly parked = new Map<string, Parked>();
  private readonly expired = new Set<string>();
  private readonly active = new Set<Stream>();

  constructor(
    private readonly pool: ConnPool,
    private readonly idleMs: number,
    private readonly log: (line: Record<string, unknown>) => void,
  ) {}

  acquire(baton: string | null): Stream {
    if (baton === null) {
      const stream: Stream = { conn: null, sqls: new Map(), closed: false };
      this.active.add(stream);
      return stream;
    }
    const entry = this.parked.get(baton);
    if (entry === undefined) {
      if (this.expired.has(baton)) throw new ProtocolError('The stream has expired due to inactivity', 'STREAM_EXPIRED');
      throw new ProtocolError('The baton is invalid: unknown, already used, or its stream is closed', 'BATON_INVALID');
    }
    // Each baton is good for exactly one request, which keeps a client from
    // running two requests on one stream at the same time.
    this.parked.delete(baton);
    clearTimeout(entry.timer);
    this.active.add(entry.stream);
    return entry.stream;
  }

  connection(stream: Stream): Conn {
    stream.conn ??= this.pool.acquire();
    return stream.conn;
  }

  // Ends a request on the stream; returns the baton for the next one, or null
  // once the stream is closed.
  release(stream: Stream): string | null {
    this.active.delete(stream);
    const conn = stream.conn;
    if (conn !== null && (stream.closed || (!conn.inTransaction && !conn.tainted))) {
      stream.conn = null;
      this.pool.release(conn);
    }
    if (stream.closed) return null;
    const baton = randomBytes(24).toString('base64url');
    const timer = setTimeout(() => this.expire(baton), this.idleMs);
    timer.unref();
    this.parked.set(baton, { stream, timer });
    return baton;
  }

  discard(stream: Stream): void {
    stream.closed = true;
    this.release(stream);
  }

  private expire(baton: string): void {
    const entry = this.parked.get(baton);
    if (entry === undefined) return;
    this.parked.delete(baton);
    this.expired.add(baton);
    if (this.expired.size > EXPIRED_MEMORY) this.expired.delete(this.expired.values().next().value!);
    const conn = entry.stream.conn;
    entry.stream.closed = true;
    entry.stream.conn = null;
    if (conn !== null) {
      this.log({ msg: 'stream expired', rolledBack: conn.inTransaction });
      this.pool.release(conn);
    }
  }

  get size(): number {
    return this.parked.size + this.active.size;
  }

  // Rolls back and releases every stream; requests still running fail on
  // their closed connection rather than touching the file after shutdown.
  closeAll(): void {
    for (const [baton, entry] of this.parked) {
      clearTimeout(entry.timer);
      this.parked.delete(baton);
      entry.stream.closed = true;
      if (entry.stream.conn !== null) this.pool.release(entry.stream.conn);
      entry.stream.conn = null;
    }
    for (const stream of this.active) {
      stream.closed = true;
      if (stream.conn !== null) this.pool.release(stream.conn);
      stream.conn = null;
    }
    this.active.clear();
  }
}
