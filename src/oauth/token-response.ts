// The successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3)
// for grants that act for a person: an access token, an ID token when openid
// was granted, and the refresh token the grant store issued, if any.
import type { Client } from '../clients/client.ts';
import type { Defer } from '../http/defer.ts';
import type { Person } from '../directory/people.ts';
import { findAuthenticatedPerson } from '../directory/person-cache.ts';
import { OAuthError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { issueAccessToken } from '../tokens/access-token.ts';
import { issueIdToken } from '../tokens/id-token.ts';
import type { Grant } from './grant-store.ts';
import type { OAuthParams } from './params.ts';
import { formatScope } from './scope.ts';
import { recordTokenEvent } from './token-audit.ts';

export interface TokenContext {
  ports: Ports;
  client: Client;
  params: OAuthParams;
  requestId: string;
  /** For audit writes that need not hold up the response on the hot path. */
  defer: Defer;
  /** RFC 9449: the thumbprint of the request's verified DPoP proof; tokens issued are bound to it. */
  dpopJkt: string | null;
}

export interface TokenResponse {
  access_token: string;
  /** RFC 9449 §5: DPoP when the access token is bound to a key. */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
  /** RFC 8693 §2.2.1: what a token exchange issued. */
  issued_token_type?: string;
}

/** RFC 9449 §5, §10: said when a proof's key is not the one a code or refresh token is bound to. */
export const DPOP_MISMATCH = 'the DPoP proof is not signed by the key this grant is bound to';

export const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * The person the grant acts for, from the snapshot of its sign-in or the
 * isolate's cache (person-cache.ts gives the bound): the grant was checked live in its session object first, and
 * deactivation revokes it there. One found gone or deactivated ends the grant
 * here too (CONTRACT §4).
 */
export async function grantPerson(ctx: TokenContext, grant: Grant): Promise<Person> {
  const person = await findAuthenticatedPerson(ctx.ports.db, { ...grant.authentication, personId: grant.personId }, ctx.ports.now());
  if (person?.active) return person;
  await ctx.ports.grants.revoke(grant.grantId, 'person_inactive');
  throw invalidGrant('the person is no longer active');
}

export async function issueGrantTokens(
  ctx: TokenContext,
  issue: { grant: Grant; person: Person; scope: readonly string[]; refreshToken: string | null; includeNonce: boolean; resource?: string },
): Promise<TokenResponse> {
  const { ports, client } = ctx;
  const { grant, person, scope } = issue;
  const access = await issueAccessToken(ports, {
    clientId: client.clientId,
    subject: person.uid,
    scope,
    grantId: grant.grantId,
    ...(issue.resource ? { audience: issue.resource } : {}),
    notAfter: Math.floor(grant.expiresAt / 1000),
    authentication: { auth_time: grant.authentication.authTime, acr: grant.acr, amr: grant.authentication.amr },
    jkt: ctx.dpopJkt,
  });
  const idToken = scope.includes('openid')
    ? await issueIdToken(ports, { client, grant, person, accessToken: access.token, scope, includeNonce: issue.includeNonce })
    : undefined;
  // Best effort (src/audit.ts): the code or refresh token it follows was checked and
  // the authentication audited already, so the row is written after the answer.
  ctx.defer(recordTokenEvent(ports, {
    actor: `client:${client.clientId}`,
    action: 'token.issue',
    subject: person.id,
    clientId: client.clientId,
    outcome: 'success',
    details: { grant_type: ctx.params.grant_type, grant_id: grant.grantId, scope: formatScope(scope), refresh_token_issued: issue.refreshToken !== null },
    requestId: ctx.requestId,
  }));
  return {
    access_token: access.token,
    token_type: ctx.dpopJkt ? 'DPoP' : 'Bearer',
    expires_in: access.expiresIn,
    scope: formatScope(scope),
    ...(issue.refreshToken ? { refresh_token: issue.refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  };
}
