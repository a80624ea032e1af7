// Token revocation (RFC 7009). Revoking a refresh token, or an access token of
// a grant, revokes the grant (§2.1 allows it): every token issued under it is
// inactive at once. A client_credentials access token goes on the revocation
// list until it expires. Unknown or invalid tokens answer 200 (§2.2).
import { Hono } from 'hono';
import type { Client } from '../clients/client.ts';
import { invalidRequest } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import type { Ports } from '../ports.ts';
import { parseHandle } from '../session/handle.ts';
import { grantIdOfJti, verifyAccessToken } from '../tokens/access-token.ts';
import { authenticateCaller } from './client-authentication.ts';
import { NO_STORE } from './endpoints.ts';
import { OAUTH } from '../paths.ts';
import { oauthParams } from './params.ts';
import { recordTokenEvent } from './token-audit.ts';

type Revocation = { outcome: 'revoked' | 'unknown' | 'other_client'; tokenType: string; grantId?: string | null };

async function revokeToken(ports: Ports, client: Client, token: string): Promise<Revocation> {
  if (parseHandle(token)) {
    const { outcome, grantId } = await ports.grants.revokeRefreshToken(token, client.clientId);
    return { outcome, tokenType: 'refresh_token', grantId };
  }
  const claims = await verifyAccessToken(ports, token);
  if (!claims) return { outcome: 'unknown', tokenType: 'access_token' };
  const grantId = grantIdOfJti(claims.jti);
  // §2.1: only the client the token was issued to may revoke it.
  if (claims.client_id !== client.clientId) return { outcome: 'other_client', tokenType: 'access_token', grantId };
  if (grantId === null) {
    await ports.revocations.revoke(claims.jti, claims.exp * 1000);
    return { outcome: 'revoked', tokenType: 'access_token', grantId };
  }
  const known = await ports.grants.revoke(grantId, 'revocation');
  return { outcome: known ? 'revoked' : 'unknown', tokenType: 'access_token', grantId };
}

export const revocationRoutes = new Hono<AppEnv>()
  .post(OAUTH.revoke, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    // §2.1: confidential clients authenticate; public clients name themselves.
    const client = await authenticateCaller(c, params, { allowPublic: true });
    const token = params.token;
    if (!token) throw invalidRequest('token is required');
    const result = await revokeToken(ports, client, token);
    if (result.outcome !== 'unknown') {
      await recordTokenEvent(ports, {
        actor: `client:${client.clientId}`,
        action: 'token.revoke',
        clientId: client.clientId,
        // A token of another client is left alone, and the answer is the same
        // 200 as for an unknown token, so that one client cannot probe whether a
        // string is another client's live token (§2.2 treats both alike).
        outcome: result.outcome === 'revoked' ? 'success' : 'failure',
        details: { token_type: result.tokenType, grant_id: result.grantId ?? null, reason: result.outcome },
        requestId: c.var.requestId,
      });
    }
    return c.body(null, 200, NO_STORE);
  });
