// CORS (Fetch Standard §3.2) for the endpoints a browser application calls
// directly: token, revocation and introspection for the origins of the calling
// client's registered redirect URIs, userinfo for any origin. Never
// Access-Control-Allow-Credentials: none of these endpoints reads a cookie, and
// pages and cookie-bearing endpoints get no CORS headers at all (same-origin only).
//
// A preflight does not say which client is calling, so it is answered for any
// origin; what it permits (a POST with Authorization, Content-Type, DPoP) a
// page can already send as a simple form POST without one. What protects the
// client is the actual response: a browser hands it to the page only when it
// carries Access-Control-Allow-Origin, and that is set only for an origin of
// the client that authenticated. Answering the preflight from the registered
// origins instead would tell any page which origins have clients here.
import type { MiddlewareHandler } from 'hono';
import type { Client } from '../clients/client.ts';
import type { AppEnv } from './context.ts';

const PREFLIGHT_MAX_AGE_SECONDS = '600';
const REQUEST_HEADERS = 'Authorization, Content-Type, DPoP';
// Read by OAuth clients: the challenge (RFC 6750 §3) and DPoP nonces (RFC 9449 §8).
const EXPOSED_HEADERS = 'WWW-Authenticate, DPoP-Nonce';

/** The web origins of the client's redirect URIs; custom-scheme URIs have none. */
function clientOrigins(client: Client): Set<string> {
  const origins = new Set<string>();
  for (const uri of client.metadata.redirect_uris) {
    const { origin, protocol } = new URL(uri);
    if ((protocol === 'https:' || protocol === 'http:') && origin !== 'null') origins.add(origin);
  }
  return origins;
}

function isPreflight(method: string, headers: { origin: string | undefined; requestMethod: string | undefined }): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers.requestMethod !== undefined;
}

function preflight(methods: string, allowOrigin: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': allowOrigin,
      'Access-Control-Allow-Methods': methods,
      'Access-Control-Allow-Headers': REQUEST_HEADERS,
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
      ...(allowOrigin === '*' ? {} : { Vary: 'Origin' }),
    },
  });
}

/** Token, revocation and introspection: the actual response is shared with the authenticated client's origins only. */
export const clientCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin');
  if (isPreflight(c.req.method, { origin, requestMethod: c.req.header('access-control-request-method') })) {
    // A sandboxed or file page sends Origin: null, which names no one: never allowed.
    if (origin === 'null') return c.body(null, 403);
    return preflight('POST', origin!);
  }
  await next();
  c.res.headers.append('Vary', 'Origin');
  const client = c.var.authenticatedClient;
  if (origin === undefined || origin === 'null' || !client || !clientOrigins(client).has(origin)) return;
  c.res.headers.set('Access-Control-Allow-Origin', origin);
  c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
};

/** Userinfo: a bearer token, no cookie, so any origin may read it (OIDC Core §5.3). */
export const publicCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin');
  if (isPreflight(c.req.method, { origin, requestMethod: c.req.header('access-control-request-method') })) {
    return preflight('GET, POST', '*');
  }
  await next();
  if (origin === undefined) return;
  c.res.headers.set('Access-Control-Allow-Origin', '*');
  c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
};
