// The device authorization endpoint (RFC 8628 §3.1, §3.2): a client, authenticated
// as at the token endpoint (public clients too), asks for a device code and a
// user code; the person enters the user code at verification_uri.
import { Hono } from 'hono';
import { OAuthError } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { parseScope, requestedAcr } from '../oauth/authorization-request.ts';
import { authenticateCaller } from '../oauth/client-authentication.ts';
import { NO_STORE } from '../oauth/endpoints.ts';
import { oauthParams } from '../oauth/params.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../oauth/vocabulary.ts';
import { DEVICE, OAUTH } from '../paths.ts';
import { formatUserCode } from './user-code.ts';

/** RFC 8628 §3.2: expires_in; ten minutes for a person to walk to a computer and sign in. */
const DEVICE_CODE_LIFETIME_SECONDS = 600;
/** RFC 8628 §3.2: the default interval (5 s) between polls. */
const POLL_INTERVAL_SECONDS = 5;

export const deviceAuthorizationRoutes = new Hono<AppEnv>()
  .post(OAUTH.deviceAuthorization, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    const client = await authenticateCaller(c, params, { allowPublic: true });
    // RFC 8628 §3.2 with RFC 6749 §5.2: only a client registered for the device grant.
    if (!(client.metadata.grant_types as string[]).includes(DEVICE_CODE_GRANT_TYPE)) {
      throw new OAuthError('unauthorized_client', `the client is not registered for ${DEVICE_CODE_GRANT_TYPE}`);
    }
    const values: Record<string, string> = { scope: params.scope ?? 'openid' };
    if (params.acr_values !== undefined) values.acr_values = params.acr_values;
    if (params.claims !== undefined) values.claims = params.claims;
    // The same scope and assurance rules as /authorize (CONTRACT §6, §8).
    const scope = parseScope(values, client);
    const acrValues = requestedAcr(values, client);
    const created = await ports.devices.create(
      { clientId: client.clientId, scope, acrValues, lifetimeSeconds: DEVICE_CODE_LIFETIME_SECONDS, intervalSeconds: POLL_INTERVAL_SECONDS },
      ports.now(),
    );
    const verificationUri = `${ports.config.issuer}${DEVICE.verification}`;
    await ports.audit.record({
      actor: `client:${client.clientId}`,
      action: 'device.authorization',
      clientId: client.clientId,
      outcome: 'success',
      details: { device_authorization: created.id, scope: scope.join(' '), acr_values: acrValues },
      requestId: c.var.requestId,
    });
    return c.json(
      {
        device_code: created.deviceCode,
        user_code: formatUserCode(created.userCode),
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${formatUserCode(created.userCode)}`,
        expires_in: DEVICE_CODE_LIFETIME_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      },
      200,
      NO_STORE,
    );
  });
