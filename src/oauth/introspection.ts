// Token introspection (RFC 7662) for confidential clients, i.e. resource servers
// of the federation: `{"active": false}` for anything unknown, malformed,
// expired or revoked (§2.2), the token's claims when active.
import { Hono } from 'hono';
import { findCachedClient } from '../clients/client-cache.ts';
import { findPerson } from '../directory/people.ts';
import { invalidRequest } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { methodNotAllowed } from '../http/errors.ts';
import type { Ports } from '../ports.ts';
import { parseHandle } from '../session/handle.ts';
import { activeAccessToken } from '../tokens/token-status.ts';
import { authenticateClient } from './client-authentication.ts';
import { INTROSPECTION_PATH, NO_STORE } from './endpoints.ts';
import { oauthParams } from './params.ts';
import { formatScope } from './scope.ts';

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

async function introspectAccessToken(ports: Ports, token: string): Promise<Introspection> {
  const active = await activeAccessToken(ports, token);
  if (!active) return INACTIVE;
  // A deleted client's tokens are dead with it (a cached lookup: no round trip on the hot path).
  if (!(await findCachedClient(ports.db, active.claims.client_id, ports.now()))) return INACTIVE;
  const { iss, sub, aud, client_id, scope, jti, iat, exp, auth_time, acr, amr } = active.claims;
  return { active: true, token_type: 'Bearer', scope, client_id, sub, aud, iss, exp, iat, jti, auth_time, acr, amr };
}

async function introspectRefreshToken(ports: Ports, token: string): Promise<Introspection> {
  const found = await ports.grants.findByRefreshToken(token);
  if (!found) return INACTIVE;
  const { grant, refreshExpiresAt } = found;
  const [client, person] = await Promise.all([findCachedClient(ports.db, grant.clientId, ports.now()), findPerson(ports.db, grant.personId)]);
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
  .post(INTROSPECTION_PATH, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    // RFC 7662 §2.1: the protected resource authenticates; public clients cannot.
    await authenticateClient(
      ports,
      { authorization: c.req.header('authorization'), params, endpoint: `${ports.config.issuer}${INTROSPECTION_PATH}`, requestId: c.var.requestId },
      { allowPublic: false },
    );
    const token = params.token;
    if (!token) throw invalidRequest('token is required');
    // The token's shape says what it is; token_type_hint is only a hint (§2.1).
    const body = parseHandle(token) ? await introspectRefreshToken(ports, token) : await introspectAccessToken(ports, token);
    return c.json(body, 200, NO_STORE);
  })
  .all(INTROSPECTION_PATH, methodNotAllowed(['POST']));
