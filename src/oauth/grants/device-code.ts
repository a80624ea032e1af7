// The device authorization grant at the token endpoint (RFC 8628 §3.4, §3.5):
// the device record answers the poll (pending, slow_down, denied, expired, or
// the grant to the first poll after approval); the grant, made in the approving
// person's session, then issues tokens once, with a refresh token when the
// client registered that grant.
import { invalidRequest, OAuthError } from '../../errors.ts';
import type { GrantRefusal } from '../grant-store.ts';
import { recordTokenEvent } from '../token-audit.ts';
import { grantPerson, invalidGrant, issueGrantTokens, type TokenContext, type TokenResponse } from '../token-response.ts';

const INVALID: Record<'unknown' | 'client_mismatch' | 'redeemed', string> = {
  unknown: 'the device code is not valid',
  client_mismatch: 'the device code was issued to another client',
  redeemed: 'the device code was already used',
};

const REFUSALS: Partial<Record<GrantRefusal, string>> = {
  revoked: 'the grant has been revoked',
  expired: 'the device code has expired',
  reused: 'the device code was already used; the tokens issued for it are revoked',
};

export async function deviceCodeGrant(ctx: TokenContext): Promise<TokenResponse> {
  const { ports, client, params } = ctx;
  const deviceCode = params.device_code;
  if (!deviceCode) throw invalidRequest('device_code is required');
  const { outcome, deviceCodeHash } = await ports.devices.poll(deviceCode, client.clientId, ports.now());
  switch (outcome.kind) {
    case 'authorization_pending':
      throw new OAuthError('authorization_pending', 'the person has not yet approved the request');
    case 'slow_down':
      // RFC 8628 §3.5: the interval is now longer by 5 s, for this and every later poll.
      throw new OAuthError('slow_down', `polling too fast; wait at least ${outcome.interval} s between requests`);
    case 'access_denied':
      throw new OAuthError('access_denied', 'the person denied the request');
    case 'expired_token':
      throw new OAuthError('expired_token', 'the device code has expired; start again');
    case 'invalid_grant':
      throw invalidGrant(INVALID[outcome.reason]);
  }
  const redeemed = await ports.grants.redeemDeviceCode({
    grantId: outcome.grantId,
    deviceCodeHash: deviceCodeHash!,
    clientId: client.clientId,
    issueRefreshToken: client.metadata.grant_types.includes('refresh_token'),
  });
  if (!redeemed.ok) {
    if (redeemed.refusal === 'reused') {
      await recordTokenEvent(ports, {
        actor: `client:${client.clientId}`,
        action: 'token.code_reuse',
        subject: redeemed.personId,
        clientId: client.clientId,
        outcome: 'failure',
        details: { grant_id: redeemed.grantId, revoked: true, grant_type: params.grant_type },
        requestId: ctx.requestId,
      });
    }
    throw invalidGrant(REFUSALS[redeemed.refusal] ?? 'the device code is not valid');
  }
  const person = await grantPerson(ctx, redeemed.grant);
  return issueGrantTokens(ctx, { grant: redeemed.grant, person, scope: redeemed.grant.scope, refreshToken: redeemed.refreshToken, includeNonce: false });
}
