// The Upstash REST wire format as @upstash/redis speaks it (node_modules/@upstash/redis,
// HttpClient.request and Pipeline.exec): a command is a JSON array whose items
// are strings, numbers or booleans; a pipeline or transaction is an array of them.
// Answers are `{"result": …}` or `{"error": "…"}`; with `Upstash-Encoding: base64`
// every string in a result is base64 (the client decodes each one, and decodes
// "OK" to itself either way) while numbers, nulls and errors stay as they are.
import { RedisError, type Reply } from './resp.ts';
import type { Command } from './redis-connection.ts';

export class BadRequest extends Error {}

// Commands that change the state of the connection they run on. The bridge
// reuses connections across requests, so these would leak into other requests
// (SELECT, CLIENT REPLY OFF) or stop the connection answering (SUBSCRIBE,
// MONITOR); transactions go through /multi-exec instead of MULTI/EXEC.
const REFUSED = new Set([
  'auth', 'hello', 'select', 'reset', 'quit', 'client', 'monitor', 'sync', 'psync',
  'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe',
  'multi', 'exec', 'discard', 'watch', 'unwatch',
]);

/** One command from its JSON form; throws BadRequest on anything else. */
export function toCommand(value: unknown): Command {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequest('ERR a command is a non-empty JSON array');
  const args = value.map((item: unknown) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' && Number.isFinite(item)) return String(item);
    if (typeof item === 'boolean') return String(item);
    throw new BadRequest('ERR command arguments must be strings, numbers or booleans');
  });
  const name = args[0]!.toLowerCase();
  if (REFUSED.has(name)) throw new BadRequest(`ERR command '${name}' is not allowed through the REST bridge`);
  return args;
}

/** The commands of a /pipeline or /multi-exec body. */
export function toCommands(value: unknown): Command[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadRequest('ERR a pipeline is a non-empty JSON array of commands');
  return value.map(toCommand);
}

export type Answer = { result: unknown } | { error: string };

export function toAnswer(reply: Reply, base64: boolean): Answer {
  return reply instanceof RedisError ? { error: reply.message } : { result: toResult(reply, base64) };
}

function toResult(reply: Reply, base64: boolean): unknown {
  if (reply === null || typeof reply === 'number') return reply;
  // An error nested in an array (a Lua table holding one) has no JSON slot of its own.
  if (reply instanceof RedisError) return toResult(reply.message, base64);
  if (Array.isArray(reply)) return reply.map((item) => toResult(item, base64));
  const bytes = typeof reply === 'string' ? Buffer.from(reply, 'utf8') : reply;
  return base64 ? bytes.toString('base64') : bytes.toString('utf8');
}

/**
 * A transaction's answers from the replies to MULTI, each queued command and
 * EXEC. A command Redis refused to queue aborts the whole transaction, as
 * EXECABORT says; the refusal itself is the more useful message.
 */
export function transactionAnswers(replies: readonly Reply[], base64: boolean): Answer[] | { error: string } {
  const exec = replies[replies.length - 1];
  const queued = replies.slice(1, -1);
  if (exec instanceof RedisError || !Array.isArray(exec)) {
    const refusal = [replies[0], ...queued].find((r) => r instanceof RedisError);
    const reason = refusal instanceof RedisError ? refusal.message : exec instanceof RedisError ? exec.message : 'ERR transaction aborted';
    return { error: reason };
  }
  return exec.map((reply) => toAnswer(reply, base64));
}
