// The token endpoint (RFC 6749 §3.2): parse the form, authenticate the client,
// dispatch to the grant (src/oauth/grants/), answer without caching.
import { Hono } from 'hono';
import { invalidRequest, OAuthError } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { methodNotAllowed } from '../http/errors.ts';
import { authenticateClient } from './client-authentication.ts';
import { NO_STORE, TOKEN_PATH } from './endpoints.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import { deviceCodeGrant } from './grants/device-code.ts';
import { oauthParams } from './params.ts';
import type { TokenContext, TokenResponse } from './token-response.ts';
import { deferFor } from '../http/defer.ts';

type GrantHandler = (ctx: TokenContext) => Promise<TokenResponse>;

/** The grants built so far; discovery's grant_types_supported lists the same. */
export const GRANT_HANDLERS: Readonly<Record<string, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  // RFC 8628 §3.4.
  'urn:ietf:params:oauth:grant-type:device_code': deviceCodeGrant,
};

export const tokenRoutes = new Hono<AppEnv>()
  .post(TOKEN_PATH, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    const grantType = params.grant_type;
    if (!grantType) throw invalidRequest('grant_type is required');
    if (!Object.hasOwn(GRANT_HANDLERS, grantType)) {
      throw new OAuthError('unsupported_grant_type', 'this grant type is not supported');
    }
    const client = await authenticateClient(
      ports,
      { authorization: c.req.header('authorization'), params, requestId: c.var.requestId },
      { allowPublic: true },
    );
    c.set('authenticatedClient', client);
    // RFC 6749 §5.2: a grant type the client did not register.
    if (!(client.metadata.grant_types as string[]).includes(grantType)) {
      throw new OAuthError('unauthorized_client', `the client is not registered for ${grantType}`);
    }
    const response = await GRANT_HANDLERS[grantType]!({ ports, client, params, requestId: c.var.requestId, defer: deferFor(c) });
    return c.json(response, 200, NO_STORE);
  })
  .all(TOKEN_PATH, methodNotAllowed(['POST']));
