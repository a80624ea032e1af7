// The pushed authorization request endpoint (RFC 9126 §2): the client
// authenticates as at the token endpoint and posts the authorization
// parameters; they are validated as /authorize would (§2.1) and held, single
// use and bound to the client, behind a request_uri (§2.2).
import { Hono } from 'hono';
import { invalidRequest } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { parseAuthorizationRequest, trustRedirectUri } from './authorization-request.ts';
import { authenticateCaller } from './client-authentication.ts';
import { NO_STORE } from './endpoints.ts';
import { OAUTH } from '../paths.ts';
import { assertFapi2Client, usesFapi2 } from './client-policy.ts';
import { oauthParams } from './params.ts';
import { dpopError, dpopHeaders, verifyDpopProof } from './dpop.ts';

// Client authentication is not part of the authorization request that is held.
const AUTHENTICATION_PARAMS = ['client_secret', 'client_assertion', 'client_assertion_type'];

export const parRoutes = new Hono<AppEnv>()
  .post(OAUTH.par, async (c) => {
    const { ports } = c.var;
    const params = await readForm(c, oauthParams);
    const client = await authenticateCaller(c, params, { allowPublic: true });
    assertFapi2Client(client, ports.config);
    // FAPI 2.0 §5.3.2.2: the pushed request names its redirect_uri, even when only one is registered.
    if (usesFapi2(client, ports.config) && params.redirect_uri === undefined) throw invalidRequest('redirect_uri is required (FAPI 2.0)');
    // RFC 9126 §2.1: request_uri is not allowed in a pushed request.
    if (params.request_uri !== undefined) throw invalidRequest('request_uri must not be pushed (RFC 9126 §2.1)');
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && !AUTHENTICATION_PARAMS.includes(name)) values[name] = value;
    }
    values.client_id = client.clientId;
    // RFC 9449 §10.1: a DPoP proof at PAR binds the code to its key, as dpop_jkt would.
    const dpop = dpopHeaders(c.req.header('dpop'));
    if (dpop.length > 0) {
      const jkt = await verifyDpopProof(ports, { headers: dpop, method: 'POST', uri: `${ports.config.issuer}${OAUTH.par}` }, 'token_endpoint');
      if (values.dpop_jkt !== undefined && values.dpop_jkt !== jkt) throw dpopError('invalid_dpop_proof', 'dpop_jkt does not match the DPoP proof', 'token_endpoint');
      values.dpop_jkt = jkt;
    }
    // RFC 9126 §2.1: the same checks as the authorization endpoint, answered here as JSON.
    const none = new Set<string>();
    const target = trustRedirectUri(values, none, client);
    parseAuthorizationRequest(values, none, client, target, { pushed: true });
    const requestUri = await ports.pushedRequests.push(client.clientId, values, ports.config.par.ttl);
    await ports.audit.record({
      actor: `client:${client.clientId}`,
      action: 'authorize.pushed',
      clientId: client.clientId,
      outcome: 'success',
      requestId: c.var.requestId,
    });
    return c.json({ request_uri: requestUri, expires_in: ports.config.par.ttl }, 201, NO_STORE);
  });
