// Per-address and per-client request limits (docs/assurance.md, "Lockout and rate limits") as middleware the
// app mounts in front of the token, registration, SCIM and WebAuthn endpoints,
// so the endpoints themselves stay unaware of them. Over the limit: 429 with
// Retry-After and an RFC 6749-shaped body (SCIM's error shape under /scim/v2).
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from '../errors.ts';
import { bodyText } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { assertionClientId } from '../oauth/client-assertion.ts';
import { parseBasicCredentials } from '../oauth/client-authentication.ts';
import type { Ports } from '../ports.ts';
import { clientAddress } from './client-address.ts';
import { WindowLimiter } from './window-limiter.ts';

type LimitedEndpoint = 'token' | 'registration' | 'scim' | 'webauthn' | 'session';

/** The error for a request over its limit: not an RFC 6749 code, so clients key on the 429 (RFC 6585 §4). */
function tooManyRequests(retryAfterSeconds: number, what: string): HttpError {
  return new HttpError(429, `too many ${what} requests; try again in ${retryAfterSeconds} s`, { 'Retry-After': String(retryAfterSeconds) });
}

/**
 * The client a token request names, before it is authenticated: Basic credentials,
 * client_id in the form, or a client assertion's iss. Counted only once the
 * endpoint has not answered 401, so nobody can spend another client's limit.
 */
async function claimedClientId(c: Context<AppEnv>): Promise<string | null> {
  const basic = parseBasicCredentials(c.req.header('authorization') ?? '');
  if (basic) return basic.clientId;
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  // Hono keeps the body, so the endpoint reads the same text again.
  const form = new URLSearchParams(await bodyText(c));
  const assertion = form.get('client_assertion');
  const id = form.get('client_id') || (assertion ? assertionClientId(assertion) : null);
  return id && id.length <= 256 ? id : null;
}

interface RateLimitMiddleware {
  /** Per address for any endpoint group. */
  perAddress(endpoint: LimitedEndpoint): MiddlewareHandler<AppEnv>;
  /** The token endpoint: per address, and per client once the client has authenticated. */
  token: MiddlewareHandler<AppEnv>;
  /** Lets a request open a browser session only within its address's limit (c.var.openSessionSlot). */
  sessionOpening: MiddlewareHandler<AppEnv>;
}

/** One limiter per app (per isolate), so its batches are shared by every request the isolate serves. */
export function createRateLimits(ports: Ports): RateLimitMiddleware {
  const { rateLimits } = ports.config;
  const limiter = new WindowLimiter(ports.limits, rateLimits.windowSeconds * 1000);
  const perAddressLimit: Record<LimitedEndpoint, number> = {
    token: rateLimits.tokenPerAddress,
    registration: rateLimits.registrationPerAddress,
    scim: rateLimits.scimPerAddress,
    webauthn: rateLimits.webauthnPerAddress,
    session: rateLimits.sessionsPerAddress,
  };

  const perAddress = (endpoint: LimitedEndpoint): MiddlewareHandler<AppEnv> =>
    async (c, next) => {
      const wait = await limiter.take(`address:${clientAddress(c)}`, endpoint, perAddressLimit[endpoint], ports.now());
      if (wait !== null) throw tooManyRequests(wait, endpoint);
      await next();
    };

  const addressLimit = perAddress('token');
  const token: MiddlewareHandler<AppEnv> = async (c, next) => {
    const clientId = c.req.method === 'POST' ? await claimedClientId(c) : null;
    const scope = clientId === null ? null : `client:${clientId}`;
    const wait = scope === null ? null : limiter.blocked(scope, 'token', rateLimits.tokenPerClient, ports.now());
    if (wait !== null) throw tooManyRequests(wait, 'token');
    await addressLimit(c, async () => {
      await next();
      if (scope !== null && c.res.status !== 401) await limiter.take(scope, 'token', rateLimits.tokenPerClient, ports.now());
    });
  };

  // Only a request that really opens a session spends from this limit, so single sign-on
  // and page views from a busy shared address are not counted.
  const sessionOpening: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('openSessionSlot', async () => {
      const wait = await limiter.take(`address:${clientAddress(c)}`, 'session', perAddressLimit.session, ports.now());
      if (wait !== null) throw tooManyRequests(wait, 'sign-in');
    });
    await next();
  };

  return { perAddress, token, sessionOpening };
}
