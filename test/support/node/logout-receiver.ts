// A stand-in for client applications' back-channel logout endpoints, on
// loopback, for tests whose service must really POST logout tokens (OIDC
// Back-Channel Logout 1.0 §2.5). Each test uses its own key in the path:
//   POST /rp/<key>          records the request; answers as told (200 by default)
//   PUT  /behaviour/<key>   {"status": 503} or {"status": 302} (redirects to /rp/<key>-redirected)
//   GET  /received/<key>    what arrived, oldest first
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedLogout {
  contentType: string | null;
  body: string;
  logoutToken: string | null;
}

export interface LogoutReceiver {
  url: string;
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLogoutReceiver(): Promise<LogoutReceiver> {
  const received = new Map<string, ReceivedLogout[]>();
  const status = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const [, verb, key = ''] = (req.url ?? '').split('/');
    const body = await bodyOf(req);
    if (req.method === 'POST' && verb === 'rp') {
      const list = received.get(key) ?? [];
      list.push({ contentType: req.headers['content-type'] ?? null, body, logoutToken: new URLSearchParams(body).get('logout_token') });
      received.set(key, list);
      const answer = status.get(key) ?? 200;
      res.writeHead(answer, answer >= 300 && answer < 400 ? { location: `/rp/${key}-redirected` } : { 'cache-control': 'no-store' });
      return res.end();
    }
    if (req.method === 'PUT' && verb === 'behaviour') {
      status.set(key, Number((JSON.parse(body) as { status: number }).status));
      return res.writeHead(204).end();
    }
    if (req.method === 'GET' && verb === 'received') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(received.get(key) ?? []));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening: a client that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
