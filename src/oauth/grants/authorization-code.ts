// The authorization code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.5).
import { invalidRequest } from '../../errors.ts';
import type { GrantRefusal } from '../grant-store.ts';
import { grantResource, requestedResource } from '../resource.ts';
import { isCodeVerifier, s256CodeChallenge } from '../pkce.ts';
import { recordTokenEvent } from '../token-audit.ts';
import { DPOP_MISMATCH, grantPerson, invalidGrant, issueGrantTokens, type TokenContext, type TokenResponse } from '../token-response.ts';

const REFUSALS: Record<GrantRefusal, string> = {
  unknown: 'the code is not valid',
  revoked: 'the grant has been revoked',
  expired: 'the code has expired',
  reused: 'the code was already used; the tokens issued for it are revoked',
  client_mismatch: 'the code was issued to another client',
  redirect_uri_mismatch: 'redirect_uri does not match the authorization request',
  pkce_mismatch: 'code_verifier does not match the code_challenge',
  scope_exceeded: 'the scope exceeds the grant',
  dpop_mismatch: DPOP_MISMATCH,
};

export async function authorizationCodeGrant(ctx: TokenContext): Promise<TokenResponse> {
  const { ports, client, params } = ctx;
  const { code, redirect_uri: redirectUri, code_verifier: codeVerifier } = params;
  if (!code) throw invalidRequest('code is required');
  // RFC 6749 §4.1.3: required, since every authorization request carries one (CONTRACT §6).
  if (!redirectUri) throw invalidRequest('redirect_uri is required');
  // CONTRACT §6: PKCE is required unless the operator lifted it for this confidential client;
  // then the grant itself says whether a verifier belongs (grant-rules.ts).
  const pkceRequired = client.metadata.require_pkce || client.metadata.token_endpoint_auth_method === 'none';
  if (!codeVerifier && pkceRequired) throw invalidRequest('code_verifier is required');
  if (codeVerifier !== undefined && !isCodeVerifier(codeVerifier)) throw invalidRequest('code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)');

  // RFC 8707 §2: checked before the code is spent, compared with the grant's after.
  requestedResource(params.resource, client);
  const outcome = await ports.grants.redeemCode({
    code,
    clientId: client.clientId,
    redirectUri,
    verifierChallenge: codeVerifier === undefined ? null : await s256CodeChallenge(codeVerifier),
    issueRefreshToken: client.metadata.grant_types.includes('refresh_token'),
    dpopJkt: ctx.dpopJkt,
    // RFC 9449 §5: a public client's refresh tokens are bound to its DPoP key.
    bindRefreshToken: client.metadata.token_endpoint_auth_method === 'none',
  });
  if (!outcome.ok) {
    if (outcome.refusal === 'reused') {
      await recordTokenEvent(ports, {
        actor: `client:${client.clientId}`,
        action: 'token.code_reuse',
        subject: outcome.personId,
        clientId: client.clientId,
        outcome: 'failure',
        details: { grant_id: outcome.grantId, revoked: true },
        requestId: ctx.requestId,
      });
    }
    throw invalidGrant(REFUSALS[outcome.refusal]);
  }
  const person = await grantPerson(ctx, outcome.grant);
  return issueGrantTokens(ctx, {
    grant: outcome.grant,
    person,
    scope: outcome.grant.scope,
    refreshToken: outcome.refreshToken,
    includeNonce: true,
    resource: grantResource(params.resource, outcome.grant.resource, client),
  });
}
