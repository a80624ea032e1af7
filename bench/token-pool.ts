// A pool of distinct tokens issued up front, handed out round robin: each
// request of a scenario presents a different token from the one before it, so
// a cache keyed by token (a verified signature, a looked-up record) cannot
// answer most requests from one entry.

export const POOL_SIZE = 256;

export class TokenPool {
  private next = 0;

  private constructor(private readonly tokens: readonly string[]) {}

  /** Issues `size` tokens, at most `concurrency` at a time; every one must be distinct. */
  static async fill(size: number, issue: () => Promise<string>, concurrency = 16): Promise<TokenPool> {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a token pool needs at least one token, not ${size}`);
    const tokens: string[] = [];
    const worker = async () => {
      while (tokens.length < size) {
        // Claimed before the await, so the workers together issue exactly `size`.
        const slot = tokens.push('') - 1;
        tokens[slot] = await issue();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, size) }, worker));
    if (new Set(tokens).size !== size) throw new Error('the token pool holds the same token twice: the provider issued a token again');
    return new TokenPool(tokens);
  }

  get size(): number {
    return this.tokens.length;
  }

  /** The next token, round robin over the pool. */
  take(): string {
    const token = this.tokens[this.next]!;
    this.next = (this.next + 1) % this.tokens.length;
    return token;
  }
}
