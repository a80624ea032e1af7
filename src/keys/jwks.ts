// GET /jwks.json: the public signing keys (RFC 7517 §5), for clients and
// resource servers to verify ID tokens and access tokens offline.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { WELL_KNOWN } from '../paths.ts';

/**
 * How long clients may cache the set. A next key is published from one rotation
 * to the following one, which operators space far wider than this, so a client
 * holds every key before anything is signed with it.
 */
export const JWKS_MAX_AGE_SECONDS = 300;

export const jwksRoutes = new Hono<AppEnv>()
  .get(WELL_KNOWN.jwks, async (c) => {
    const jwks = await c.var.ports.keys.jwks();
    // application/json rather than application/jwk-set+json: what relying
    // parties' JWKS fetchers (and CIS2) expect.
    return c.json(jwks, 200, {
      'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
      // Public keys may be fetched by browser-based clients on any origin.
      'Access-Control-Allow-Origin': '*',
    });
  });
