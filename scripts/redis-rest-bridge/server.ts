// A local stand-in for Upstash's REST endpoint in front of a real redis-server,
// so the Worker's Upstash adapters run locally and in tests exactly as they run
// against Upstash: same client, same HTTP calls, same answers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLarge, bearerAuthorized, readBody } from '../http-request.ts';
import { RedisPool } from './redis-connection.ts';
import { BadRequest, toAnswer, toCommand, toCommands, transactionAnswers } from './rest-format.ts';

interface RedisRestBridgeOptions {
  redis: { host: string; port: number };
  token: string;
  port?: number; // 0 = a free port
  host?: string; // default 127.0.0.1
  maxBodyBytes?: number; // default 1 MiB, Upstash's own request limit on its free plan
  log?: (line: Record<string, unknown>) => void;
}

export interface RedisRestBridge {
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

const PATHS = new Set(['/', '/pipeline', '/multi-exec']);

export async function startRedisRestBridge(options: RedisRestBridgeOptions): Promise<RedisRestBridge> {
  if (options.token === '') throw new Error('the bridge needs a token');
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log ?? (() => {});
  const pool = new RedisPool(options.redis.host, options.redis.port);

  async function run(path: string, body: unknown, base64: boolean): Promise<{ status: number; body: unknown }> {
    if (path === '/') {
      const [reply] = await pool.send([toCommand(body)]);
      const answer = toAnswer(reply!, base64);
      return { status: 'error' in answer ? 400 : 200, body: answer };
    }
    const commands = toCommands(body);
    if (path === '/pipeline') {
      const replies = await pool.send(commands);
      return { status: 200, body: replies.map((reply) => toAnswer(reply, base64)) };
    }
    const answers = transactionAnswers(await pool.send([['multi'], ...commands, ['exec']]), base64);
    return { status: Array.isArray(answers) ? 200 : 400, body: answers };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!PATHS.has(path)) return send(res, 404, { error: `ERR no such endpoint: ${path.slice(0, 100)}` });
    if (req.method !== 'POST') return send(res, 405, { error: 'ERR only POST is supported' }, { allow: 'POST' });
    if (!bearerAuthorized(req.headers.authorization, options.token)) return send(res, 401, { error: 'Unauthorized' });
    let raw: Buffer;
    try {
      raw = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      return send(res, 413, { error: `ERR request body exceeds ${maxBodyBytes} bytes` }, { connection: 'close' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 400, { error: 'ERR the request body is not valid JSON' });
    }
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    let answer: { status: number; body: unknown };
    try {
      answer = await run(path, body, base64);
    } catch (err) {
      if (err instanceof BadRequest) return send(res, 400, { error: err.message });
      // Redis did not answer: the store is down, not the request wrong.
      log({ msg: 'redis unavailable', error: err instanceof Error ? err.message : String(err) });
      return send(res, 503, { error: `ERR Redis is unavailable: ${err instanceof Error ? err.message : String(err)}` });
    }
    send(res, answer.status, answer.body);
  }

  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const done = handle(req, res).catch((err: unknown) => {
      log({ msg: 'request failed', error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, 500, { error: 'ERR internal error in the bridge' });
      else res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Closing the pool fails whatever still waits on Redis, so nothing hangs here.
    pool.close();
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    await closed;
  }

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () => (closing ??= close()),
  };
}
