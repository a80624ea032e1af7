// RESP2, the Redis wire protocol (https://redis.io/docs/latest/develop/reference/protocol-spec/):
// commands go out as arrays of bulk strings; replies are parsed incrementally
// from whatever the socket has delivered so far.

/** An error reply (`-ERR …`), top level or inside an array such as EXEC's. */
export class RedisError extends Error {}

/** Bulk strings stay bytes, so binary values survive until the caller picks an encoding. */
export type Reply = string | number | Buffer | null | RedisError | Reply[];

export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'utf8') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

class ProtocolViolation extends Error {}

// Deeper than any reply Redis gives; a bound keeps a hostile stream from exhausting the stack.
const MAX_DEPTH = 64;

/** Reads complete replies from a growing buffer; answers none until one is whole. */
export class ReplyParser {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;

  push(chunk: Buffer): Reply[] {
    this.buffer = this.offset < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.offset), chunk]) : chunk;
    this.offset = 0;
    const replies: Reply[] = [];
    for (;;) {
      const start = this.offset;
      const reply = this.parse(0);
      if (reply === undefined) {
        this.offset = start;
        return replies;
      }
      replies.push(reply);
    }
  }

  // undefined: the reply is not complete yet.
  private parse(depth: number): Reply | undefined {
    if (depth > MAX_DEPTH) throw new ProtocolViolation('reply nested too deeply');
    const line = this.line();
    if (line === undefined) return undefined;
    const type = line[0];
    const rest = line.slice(1);
    switch (type) {
      case '+':
        return rest;
      case '-':
        return new RedisError(rest);
      case ':':
        return this.integer(rest);
      case '$': {
        const length = this.integer(rest);
        if (length < 0) return null;
        if (this.buffer.length < this.offset + length + 2) return undefined;
        const value = Buffer.from(this.buffer.subarray(this.offset, this.offset + length));
        this.offset += length + 2;
        return value;
      }
      case '*': {
        const length = this.integer(rest);
        if (length < 0) return null;
        const items: Reply[] = [];
        for (let i = 0; i < length; i++) {
          const item = this.parse(depth + 1);
          if (item === undefined) return undefined;
          items.push(item);
        }
        return items;
      }
      default:
        throw new ProtocolViolation(`unexpected reply type ${JSON.stringify(type)}`);
    }
  }

  private line(): string | undefined {
    const end = this.buffer.indexOf('\r\n', this.offset);
    if (end < 0) return undefined;
    const line = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 2;
    return line;
  }

  private integer(text: string): number {
    if (!/^-?\d+$/.test(text)) throw new ProtocolViolation(`not an integer: ${JSON.stringify(text.slice(0, 40))}`);
    return Number(text);
  }
}
