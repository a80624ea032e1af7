// Token introspection (RFC 7662) for confidential clients: `{"active": false}`
// for anything unknown, malformed, expired or revoked (§2.2), and for a token
// the caller has no business reading (§4); the token's claims otherwise.
import { Hono } from 'hono';
import { findCachedClient } from '../clients/client-cache.ts';
import type { Client } from '../clients/client.ts';
import { findCachedPerson } from '../directory/person-cache.ts';
import { invalidRequest } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import type { Ports } from '../ports.ts';
import { parseHandle } from '../session/handle.ts';
import type { AccessTokenClaims } from '../tokens/access-token.ts';
import { activeAccessToken } from '../tokens/token-status.ts';
import { authenticateCaller } from './client-authentication.ts';
import { NO_STORE } from './endpoints.ts';
import { OAUTH } from '../paths.ts';
import { oauthParams } from './params.ts';
import { formatScope } from './scope.ts';

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/**
 * RFC 7662 §4 (a token's claims go only to those entitled to them) and RFC 9068
 * §4 (a resource server accepts only tokens whose aud names it): the caller must
 * be the token's own client or a resource server the token was issued for, i.e.
 * a client whose client_id is in `aud`, or (RFC 8707) one the operator
 * registered as serving a resource URI in `aud` (served_resources). A client
 * learns nothing about anyone else's tokens, not even that they exist.
 */
export function mayIntrospectAccessToken(caller: Client, claims: Pick<AccessTokenClaims, 'client_id' | 'aud'>): boolean {
  if (claims.client_id === caller.clientId) return true;
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : claims.aud;
  const served = caller.metadata.served_resources;
  return audiences.some((aud) => aud === caller.clientId || served.includes(aud));
}

async function introspectAccessToken(ports: Ports, caller: Client, token: string): Promise<Introspection> {
  const active = await activeAccessToken(ports, token);
  if (!active || !mayIntrospectAccessToken(caller, active.claims)) return INACTIVE;
  const { iss, sub, aud, client_id, scope, jti, iat, exp, auth_time, acr, amr, cnf } = active.claims;
  // RFC 9449 §6.2: a bound token's introspection says so, with its key's thumbprint.
  const token_type = cnf ? 'DPoP' : 'Bearer';
  return { active: true, token_type, scope, client_id, sub, aud, iss, exp, iat, jti, auth_time, acr, amr, ...(cnf ? { cnf } : {}) };
}

async function introspectRefreshToken(ports: Ports, caller: Client, token: string): Promise<Introspection> {
  const found = await ports.grants.findByRefreshToken(token);
  // A refresh token is only ever presented by its own client (RFC 6749 §6), so only it may read one.
  if (!found || found.grant.clientId !== caller.clientId) return INACTIVE;
  const { grant, refreshExpiresAt } = found;
  const [client, person] = await Promise.all([findCachedClient(ports.db, grant.clientId, ports.now()), findCachedPerson(ports.db, grant.personId, ports.now())]);
  if (!client || !person?.active) return INACTIVE;
  return {
    active: true,
    token_type: 'refresh_token',
    scope: formatScope(grant.scope),
    client_id: grant.clientId,
    sub: person.uid,
    aud: grant.clientId,
    iss: ports.config.issuer,
    exp: Math.floor(refreshExpiresAt / 1000),
    iat: Math.floor(grant.createdAt / 1000),
    auth_time: grant.authentication.authTime,
    acr: grant.acr,
    amr: grant.authentication.amr,
  };
}

export const introspectionRoutes = new Hono<AppEnv>()
  .post(OAUTH.introspect, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    // RFC 7662 §2.1: the protected resource authenticates; public clients cannot.
    const caller = await authenticateCaller(c, params, { allowPublic: false });
    const token = params.token;
    if (!token) throw invalidRequest('token is required');
    // The token's shape says what it is; token_type_hint is only a hint (§2.1).
    const body = parseHandle(token) ? await introspectRefreshToken(ports, caller, token) : await introspectAccessToken(ports, caller, token);
    return c.json(body, 200, NO_STORE);
  });
