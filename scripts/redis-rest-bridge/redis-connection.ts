// Connections to redis-server over TCP. Each HTTP request borrows a connection
// of its own for its whole command batch, so a MULTI … EXEC block or a
// blocking command never interleaves with another request's commands.
import { connect, type Socket } from 'node:net';
import { encodeCommand, ReplyParser, type Reply } from './resp.ts';

export type Command = readonly (string | Buffer)[];

interface Pending {
  expected: number;
  replies: Reply[];
  resolve(replies: Reply[]): void;
  reject(err: Error): void;
}

class RedisConnection {
  private readonly parser = new ReplyParser();
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the Redis connection closed')));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<RedisConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error(`no connection to Redis at ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RedisConnection(socket));
      });
    });
  }

  /** False once the socket failed or the stream could not be parsed: it must not be reused. */
  get usable(): boolean {
    return this.failure === undefined;
  }

  /** Writes every command at once; answers their replies in order (error replies included, not thrown). */
  send(commands: readonly Command[]): Promise<Reply[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ expected: commands.length, replies: [], resolve, reject });
      this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    });
  }

  close(): void {
    this.fail(new Error('the Redis connection was closed'));
  }

  private receive(chunk: Buffer): void {
    let replies: Reply[];
    try {
      replies = this.parser.push(chunk);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const reply of replies) {
      const head = this.pending[0];
      if (!head) {
        this.fail(new Error('Redis sent a reply nobody asked for'));
        return;
      }
      head.replies.push(reply);
      if (head.replies.length === head.expected) {
        this.pending.shift();
        head.resolve(head.replies);
      }
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiting of this.pending.splice(0)) waiting.reject(this.failure);
    this.socket.destroy();
  }
}

export class RedisPool {
  private readonly idle: RedisConnection[] = [];
  private readonly open = new Set<RedisConnection>();
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connectTimeoutMs = 5_000,
    private readonly maxIdle = 8,
  ) {}

  /** Sends `commands` on a connection no other request is using. */
  async send(commands: readonly Command[]): Promise<Reply[]> {
    if (this.closed) throw new Error('the bridge is shutting down');
    const connection = this.takeIdle() ?? (await this.connect());
    try {
      return await connection.send(commands);
    } finally {
      this.release(connection);
    }
  }

  close(): void {
    this.closed = true;
    for (const connection of this.open) connection.close();
    this.open.clear();
    this.idle.length = 0;
  }

  // An idle connection Redis has since closed (a restart) is dropped here, before
  // anything is written to it, rather than failing the request.
  private takeIdle(): RedisConnection | undefined {
    for (let connection = this.idle.pop(); connection; connection = this.idle.pop()) {
      if (connection.usable) return connection;
      this.open.delete(connection);
    }
    return undefined;
  }

  private async connect(): Promise<RedisConnection> {
    const connection = await RedisConnection.open(this.host, this.port, this.connectTimeoutMs);
    if (this.closed) {
      connection.close();
      throw new Error('the bridge is shutting down');
    }
    this.open.add(connection);
    return connection;
  }

  private release(connection: RedisConnection): void {
    if (connection.usable && !this.closed && this.idle.length < this.maxIdle) {
      this.idle.push(connection);
      return;
    }
    connection.close();
    this.open.delete(connection);
  }
}
