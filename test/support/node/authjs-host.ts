// A minimal Auth.js host for end-to-end tests: @auth/core's Auth(request,
// config) behind a Node HTTP server on a free loopback port, with its generic
// OIDC provider pointed at the service, and a home page with a sign-in form.
import { Auth, type AuthConfig } from '@auth/core';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthJsHost {
  origin: string;
  /** Set once the client is registered for this origin. */
  provider: { issuer: string; clientId: string; clientSecret: string };
  close(): Promise<void>;
}

// Fetches /auth/csrf (Auth.js's double-submit token), then offers the POST that starts the sign-in.
const HOME = `<!doctype html><html><head><meta charset="utf-8"><title>Auth.js host</title></head><body>
<form id="signin" method="post" action="/auth/signin/nhs"><input type="hidden" name="csrfToken"><input type="hidden" name="callbackUrl" value="/">
<button type="submit" disabled>Sign in with NHS</button></form>
<script>fetch('/auth/csrf').then((r) => r.json()).then(({ csrfToken }) => {
  document.querySelector('[name=csrfToken]').value = csrfToken;
  document.querySelector('button').disabled = false;
});</script></body></html>`;

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body });
}

export async function startAuthJsHost(): Promise<AuthJsHost> {
  const host = { provider: { issuer: '', clientId: '', clientSecret: '' } };
  let origin = '';
  const config = (): AuthConfig => ({
    basePath: '/auth',
    trustHost: true,
    secret: 'e2e-only-auth-js-secret-0123456789abcdef',
    providers: [{
      id: 'nhs',
      name: 'NHS',
      type: 'oidc',
      issuer: host.provider.issuer,
      clientId: host.provider.clientId,
      clientSecret: host.provider.clientSecret,
      checks: ['pkce', 'state', 'nonce'],
      authorization: { params: { scope: 'openid profile' } },
    }],
  });
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOME);
        return;
      }
      // Chromium asks for /favicon.ico; Auth.js would log that as an unknown action.
      if (!req.url?.startsWith('/auth/')) {
        res.writeHead(404).end();
        return;
      }
      const response = await Auth(await toRequest(req, origin), config());
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') headers[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) headers['set-cookie'] = cookies;
      res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(host, { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
