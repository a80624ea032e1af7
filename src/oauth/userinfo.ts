// The UserInfo endpoint (OpenID Connect Core §5.3): GET and POST with a Bearer
// token (RFC 6750 §2.1, §2.2) or a DPoP-bound one with its proof (RFC 9449 §7),
// answering the claims the token's scopes release.
import { Hono } from 'hono';
import { userinfoClaims } from '../claims/scope-claims.ts';
import { findCachedPerson } from '../directory/person-cache.ts';
import { OAuthError } from '../errors.ts';
import { bearerToken } from '../http/admin-auth.ts';
import { bodyText, mediaType, parseParams } from '../http/body.ts';
import type { AppContext, AppEnv } from '../http/context.ts';
import { activeAccessToken } from '../tokens/token-status.ts';
import { NO_STORE } from './endpoints.ts';
import { OAUTH } from '../paths.ts';
import { oauthParams } from './params.ts';
import { dpopError, dpopHeaders, verifyDpopProof } from './dpop.ts';

// RFC 6750 §3 and §3.1: a request with no token at all is answered 401 with a bare challenge.
const noToken = () => new OAuthError('invalid_request', 'a Bearer access token is required', { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
const invalidToken = (description: string) =>
  new OAuthError('invalid_token', description, { headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` } });

// RFC 9449 §7.1: the DPoP scheme carries the same token68 syntax as Bearer.
const dpopToken = (header: string) => /^DPoP ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)?.[1] ?? null;

interface Presented {
  token: string;
  scheme: 'Bearer' | 'DPoP';
}

/** The token from the Authorization header or, for a form POST, the access_token parameter; one, never both. */
async function presentedToken(c: AppContext): Promise<Presented> {
  const header = c.req.header('authorization');
  const dpop = header === undefined ? null : dpopToken(header);
  if (dpop) return { token: dpop, scheme: 'DPoP' };
  const fromHeader = header === undefined ? null : bearerToken(header);
  if (header !== undefined && fromHeader === null) throw invalidToken('the Authorization header is not a Bearer or DPoP token');
  let fromBody: string | undefined;
  const type = mediaType(c);
  if (c.req.method === 'POST' && type === 'application/x-www-form-urlencoded') {
    fromBody = parseParams(new URLSearchParams(await bodyText(c)), oauthParams).access_token;
  }
  // RFC 6750 §2: a client uses one method to send its token.
  if (fromHeader && fromBody) throw new OAuthError('invalid_request', 'send the access token in one place only');
  const token = fromHeader ?? fromBody;
  if (!token) throw noToken();
  return { token, scheme: 'Bearer' };
}

/** RFC 9449 §7.1: a DPoP-bound token needs the DPoP scheme and a proof by its key for this request. */
async function checkBinding(c: AppContext, presented: Presented, jkt: string | undefined): Promise<void> {
  if (presented.scheme === 'Bearer') {
    // RFC 9449 §7.2: a bound token presented as Bearer is refused, the DPoP scheme named.
    if (jkt) throw dpopError('invalid_dpop_proof', 'this access token is DPoP-bound: use the DPoP scheme with a proof', 'resource');
    return;
  }
  const { ports } = c.var;
  const uri = `${ports.config.issuer}${new URL(c.req.url).pathname}`;
  const proofJkt = await verifyDpopProof(ports, { headers: dpopHeaders(c.req.header('dpop')), method: c.req.method, uri, accessToken: presented.token }, 'resource');
  if (!jkt) throw invalidToken('the access token is not DPoP-bound');
  if (proofJkt !== jkt) throw dpopError('invalid_dpop_proof', 'the DPoP proof is not signed by the key the token is bound to', 'resource');
}

async function userinfo(c: AppContext) {
  const { ports } = c.var;
  const presented = await presentedToken(c);
  const active = await activeAccessToken(ports, presented.token);
  if (!active) throw invalidToken('the access token is not active');
  await checkBinding(c, presented, active.claims.cnf?.jkt);
  const scope = active.claims.scope?.split(' ') ?? [];
  // OIDC Core §5.3.1: the token must be one the openid scope was granted to.
  if (!active.grant || !scope.includes('openid')) {
    throw new OAuthError('insufficient_scope', 'the access token was not issued with the openid scope', {
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="openid"' },
    });
  }
  const person = await findCachedPerson(ports.db, active.grant.personId, ports.now());
  if (!person?.active) throw invalidToken('the access token is not active');
  return c.json(userinfoClaims(person, scope, { selectedRoleId: active.grant.selectedRoleId }), 200, NO_STORE);
}

export const userinfoRoutes = new Hono<AppEnv>()
  .get(OAUTH.userinfo, userinfo)
  .post(OAUTH.userinfo, userinfo);
