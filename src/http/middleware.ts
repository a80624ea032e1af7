// Cross-cutting request handling: a request id on every response, a JSON access
// log line without query strings (they may carry codes), a 1 MiB body bound and
// the security headers every response carries (HSTS too, behind an https issuer).
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from '../errors.ts';
import type { AppEnv } from './context.ts';

const MAX_BODY_BYTES = 1024 * 1024;

// Paths that carry a one-time secret (an enrolment invitation code) are logged without it.
function loggablePath(url: string): string {
  return new URL(url).pathname.replace(/^\/enrol\/[^/]+/, '/enrol/[code]');
}

// RFC 6797: once seen over https, browsers refuse plain http to this host for a
// year (RFC 9700 §4.1 assumes TLS). includeSubDomains would bind every sibling
// host of the operator's domain, so it is the operator's call (at their proxy),
// not ours; preload likewise.
const HSTS = { 'Strict-Transport-Security': 'max-age=31536000' };

export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const incoming = c.req.header('x-request-id');
  const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', requestId);
  const started = Date.now();
  await next();
  setResponseHeaders(c, {
    'X-Request-Id': requestId,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    ...(c.res.headers.has('Content-Security-Policy') ? {} : { 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'" }),
    ...(c.var.ports.config.issuer.startsWith('https:') ? HSTS : {}),
  });
  c.var.ports.log.info('request', {
    requestId,
    method: c.req.method,
    path: loggablePath(c.req.url),
    status: c.res.status,
    ms: Date.now() - started,
  });
};

/**
 * Sets headers on the finished response in place. Hono's c.header() copies the
 * whole Response once the handler has returned, once per call: five copies a
 * request were a measurable share of the token endpoint's CPU (docs/benchmark.md, `--profile`).
 * A response with immutable headers (one passed through from fetch) is copied once.
 */
function setResponseHeaders(c: Context<AppEnv>, headers: Record<string, string>): void {
  let target = c.res.headers;
  try {
    for (const [name, value] of Object.entries(headers)) target.set(name, value);
  } catch {
    c.res = new Response(c.res.body, c.res);
    target = c.res.headers;
    for (const [name, value] of Object.entries(headers)) target.set(name, value);
  }
}

export const limitBody: MiddlewareHandler<AppEnv> = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  },
});
