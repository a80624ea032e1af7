// A local libSQL server: Hrana over HTTP (JSON, protocol v2 and v3 pipelines)
// on a database file, so @libsql/client's HTTP transport talks to it exactly
// as it talks to sqld/Turso.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { BodyTooLarge, bearerAuthorized, readBody } from '../http-request.ts';
import { Streams } from './batons.ts';
import { ConnPool } from './connection.ts';
import { runPipeline, type PipelineContext } from './pipeline.ts';
import { decodePipeline, ProtocolError } from './protocol.ts';

interface LibsqlServerOptions {
  file: string;
  port?: number; // 0 = free port
  host?: string; // default 127.0.0.1
  authToken?: string;
  maxBodyBytes?: number; // default 8 MiB
  batonIdleMs?: number; // default 10_000
  log?: (line: Record<string, unknown>) => void;
}

export interface LibsqlServer {
  url: string; // http://127.0.0.1:PORT
  port: number;
  close(): Promise<void>;
}

// sqld's default busy_timeout; here it is spent waiting asynchronously.
const BUSY_TIMEOUT_MS = 5_000;

type Route = { method: 'GET'; body: string } | { method: 'POST' };

const ROUTES = new Map<string, Route>([
  ['/', { method: 'GET', body: 'Hello, this is HTTP API v2 (Hrana over HTTP)' }],
  ['/health', { method: 'GET', body: '' }],
  // Version probes; there is no /v3-protobuf, so a client probing for it falls
  // back to JSON, which is all this server speaks.
  ['/v2', { method: 'GET', body: '' }],
  ['/v3', { method: 'GET', body: '' }],
  ['/v2/pipeline', { method: 'POST' }],
  ['/v3/pipeline', { method: 'POST' }],
]);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // hrana-client only parses an error body whose content type is exactly
  // application/json, so no charset parameter.
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const log = options.log ?? (() => {});
  const pool = new ConnPool(resolve(options.file));
  // Opening one connection now makes a bad path fail here rather than on the
  // first request; WAL is a property of the file, so once is enough.
  const first = pool.acquire();
  first.exec('PRAGMA journal_mode = WAL');
  pool.release(first);

  const streams = new Streams(pool, options.batonIdleMs ?? 10_000, log);
  let stopping = false;
  const ctx: PipelineContext = { streams, busyTimeoutMs: BUSY_TIMEOUT_MS, stopped: () => stopping, log };
  const inFlight = new Set<Promise<void>>();

  async function pipeline(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.authToken !== undefined && !bearerAuthorized(req.headers.authorization, options.authToken)) {
      send(res, 401, { error: 'Unauthorized: a valid bearer token is required' });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      send(res, 413, { error: `Request body exceeds ${maxBodyBytes} bytes` }, { connection: 'close' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ProtocolError('Request body is not valid JSON');
    }
    const request = decodePipeline(parsed);
    const stream = streams.acquire(request.baton);
    let results;
    try {
      results = await runPipeline(ctx, stream, request.requests);
    } catch (err) {
      // sqld drops a stream whose request broke the protocol.
      streams.discard(stream);
      throw err;
    }
    send(res, 200, { baton: streams.release(stream), base_url: null, results });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = ROUTES.get(path);
    if (route === undefined) {
      send(res, 404, { error: `Not found: ${path}` });
      return;
    }
    const method = req.method === 'HEAD' && route.method === 'GET' ? 'GET' : req.method;
    if (method !== route.method) {
      send(res, 405, { error: `Method ${req.method} is not allowed on ${path}` }, { allow: route.method });
      return;
    }
    if (route.method === 'GET') {
      send(res, 200, route.body);
      return;
    }
    try {
      await pipeline(req, res);
    } catch (err) {
      if (err instanceof ProtocolError) {
        send(res, err.status, { message: err.message, code: err.code });
        return;
      }
      log({ msg: 'request failed', path, error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) send(res, 500, { message: 'Internal server error', code: 'INTERNAL_ERROR' });
      else res.destroy();
    }
  }

  const server = createServer((req, res) => {
    if (stopping) {
      send(res, 503, { error: 'Server is shutting down' }, { connection: 'close' });
      return;
    }
    const done = handle(req, res).catch(() => {
      res.destroy();
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  }).catch((err: unknown) => {
    pool.close();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(host)}:${port}`;

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    stopping = true;
    const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    server.closeIdleConnections();
    // Requests waiting on a busy lock notice `stopping` and give up promptly.
    await Promise.allSettled([...inFlight]);
    server.closeAllConnections();
    streams.closeAll();
    pool.close();
    await closed;
  }

  return {
    url,
    port,
    close: () => (closing ??= close()),
  };
}
