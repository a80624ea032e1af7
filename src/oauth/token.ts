// The token endpoint (RFC 6749 §3.2): parse the form, authenticate the client,
// dispatch to the grant (src/oauth/grants/), answer without caching.
import { Hono } from 'hono';
import { invalidRequest, OAuthError } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppContext, AppEnv } from '../http/context.ts';
import type { Client } from '../clients/client.ts';
import type { GrantType } from '../clients/client-metadata.ts';
import { assertFapi2Client, requiresDpop } from './client-policy.ts';
import { dpopError, dpopHeaders, verifyDpopProof } from './dpop.ts';
import { authenticateCaller } from './client-authentication.ts';
import { NO_STORE } from './endpoints.ts';
import { OAUTH } from '../paths.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import { deviceCodeGrant } from './grants/device-code.ts';
import { tokenExchangeGrant } from './grants/token-exchange.ts';
import { DEVICE_CODE_GRANT_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from './vocabulary.ts';
import { oauthParams } from './params.ts';
import type { TokenContext, TokenResponse } from './token-response.ts';
import { deferFor } from '../http/defer.ts';

/**
 * RFC 9449 §5: a proof at the token endpoint binds what is issued; a client
 * registered with dpop_bound_access_tokens (or FAPI 2.0) must send one.
 */
export async function tokenRequestDpop(c: AppContext, client: Client): Promise<string | null> {
  const { ports } = c.var;
  const headers = dpopHeaders(c.req.header('dpop'));
  if (headers.length === 0) {
    if (requiresDpop(client, ports.config)) throw dpopError('invalid_dpop_proof', 'this client must send a DPoP proof', 'token_endpoint');
    return null;
  }
  const uri = `${ports.config.issuer}${new URL(c.req.url).pathname}`;
  return verifyDpopProof(ports, { headers, method: 'POST', uri }, 'token_endpoint');
}

type GrantHandler = (ctx: TokenContext) => Promise<TokenResponse>;

/**
 * One handler per grant type of the vocabulary (src/oauth/vocabulary.ts): `satisfies`
 * makes the compiler refuse a missing or an extra one. Discovery advertises these keys.
 */
export const GRANT_HANDLERS: Readonly<Record<string, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [DEVICE_CODE_GRANT_TYPE]: deviceCodeGrant,
  [TOKEN_EXCHANGE_GRANT_TYPE]: tokenExchangeGrant,
} satisfies Record<GrantType, GrantHandler>;

export const tokenRoutes = new Hono<AppEnv>()
  .post(OAUTH.token, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    const grantType = params.grant_type;
    if (!grantType) throw invalidRequest('grant_type is required');
    if (!Object.hasOwn(GRANT_HANDLERS, grantType)) {
      throw new OAuthError('unsupported_grant_type', 'this grant type is not supported');
    }
    const client = await authenticateCaller(c, params, { allowPublic: true });
    // RFC 6749 §5.2: a grant type the client did not register.
    if (!(client.metadata.grant_types as string[]).includes(grantType)) {
      throw new OAuthError('unauthorized_client', `the client is not registered for ${grantType}`);
    }
    assertFapi2Client(client, ports.config);
    const dpopJkt = await tokenRequestDpop(c, client);
    const response = await GRANT_HANDLERS[grantType]!({ ports, client, params, requestId: c.var.requestId, defer: deferFor(c), dpopJkt });
    return c.json(response, 200, NO_STORE);
  });
