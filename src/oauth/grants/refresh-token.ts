// The refresh token grant (RFC 6749 §6): the token rotates on every use and a
// spent one revokes the whole family (RFC 9700 §4.14.2, CONTRACT §7).
import { invalidRequest, OAuthError } from '../../errors.ts';
import type { GrantRefusal } from '../grant-store.ts';
import { grantResource, requestedResource } from '../resource.ts';
import { parseScope } from '../scope.ts';
import { recordTokenEvent } from '../token-audit.ts';
import { DPOP_MISMATCH, grantPerson, invalidGrant, issueGrantTokens, type TokenContext, type TokenResponse } from '../token-response.ts';

const REFUSALS: Record<GrantRefusal, string> = {
  unknown: 'the refresh token is not valid',
  revoked: 'the grant has been revoked',
  expired: 'the refresh token has expired',
  reused: 'the refresh token was already used; the grant is revoked',
  client_mismatch: 'the refresh token was issued to another client',
  redirect_uri_mismatch: 'the refresh token is not valid',
  pkce_mismatch: 'the refresh token is not valid',
  scope_exceeded: 'the scope exceeds the grant',
  dpop_mismatch: DPOP_MISMATCH,
};

export async function refreshTokenGrant(ctx: TokenContext): Promise<TokenResponse> {
  const { ports, client, params } = ctx;
  const refreshToken = params.refresh_token;
  if (!refreshToken) throw invalidRequest('refresh_token is required');
  const scope = params.scope === undefined ? null : parseScope(params.scope);
  if (scope === null && params.scope !== undefined) throw new OAuthError('invalid_scope', 'scope is malformed');

  // RFC 8707 §2: checked before the refresh token rotates, compared with the grant's after.
  requestedResource(params.resource, client);
  const outcome = await ports.grants.rotateRefreshToken({ refreshToken, clientId: client.clientId, scope, dpopJkt: ctx.dpopJkt });
  if (!outcome.ok) {
    if (outcome.refusal === 'reused') {
      await recordTokenEvent(ports, {
        actor: `client:${client.clientId}`,
        action: 'token.refresh_reuse',
        subject: outcome.personId,
        clientId: client.clientId,
        outcome: 'failure',
        details: { grant_id: outcome.grantId, revoked: true },
        requestId: ctx.requestId,
      });
    }
    if (outcome.refusal === 'scope_exceeded') throw new OAuthError('invalid_scope', REFUSALS.scope_exceeded);
    throw invalidGrant(REFUSALS[outcome.refusal]);
  }
  const person = await grantPerson(ctx, outcome.grant);
  return issueGrantTokens(ctx, {
    grant: outcome.grant,
    person,
    scope: scope ?? outcome.grant.scope,
    refreshToken: outcome.refreshToken,
    includeNonce: false,
    resource: grantResource(params.resource, outcome.grant.resource, client),
  });
}
