// The authorization endpoint (RFC 6749 §4.1, OIDC Core §3.1.2), GET and POST,
// and /authorize/resume, where the sign-in and role choice pages send the
// browser back to finish the request they held.
import { Hono, type Context } from 'hono';
import { findCachedClient } from '../clients/client-cache.ts';
import { OAuthError, ServiceError } from '../errors.ts';
import { bodyText, mediaType } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { verifyIdTokenHint } from '../logout/id-token-hint.ts';
import { renderErrorPage } from '../pages/error.tsx';
import { currentSession, sessionHandle } from '../session/browser-session.ts';
import { page } from '../session/page-errors.ts';
import { continueAuthorization, redirectError } from './authorization-flow.ts';
import { resumeDeviceAuthorization } from '../device/device-flow.ts';
import { requiresPushedRequest } from './client-policy.ts';
import {
  pageError,
  parseAuthorizationRequest,
  requestedClientId,
  singleValues,
  trustRedirectUri,
  type AuthorizationRequest,
  type ResponseTarget,
} from './authorization-request.ts';
import { OAUTH } from '../paths.ts';

/** OIDC Core §3.1.2.1: POST sends the same parameters as a form. */
async function formParameters(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = mediaType(c);
  if (type !== 'application/x-www-form-urlencoded') throw pageError('the request must be a form (application/x-www-form-urlencoded)');
  return new URLSearchParams(await bodyText(c));
}

/**
 * OIDC Core §3.1.2.1: id_token_hint must be an ID token we issued (invalid_request
 * otherwise, at the redirect URI); expired ones are fine, they are hints. The
 * person it names is kept with the request, across the sign-in pages.
 */
async function withIdTokenHint(c: Context<AppEnv>, request: AuthorizationRequest, hint: string | undefined): Promise<AuthorizationRequest> {
  if (hint === undefined) return request;
  const { sub } = await verifyIdTokenHint(c.var.ports, hint);
  return { ...request, idTokenHintSub: sub };
}

/**
 * RFC 9126 §4: the request_uri must be one this client pushed, unexpired and
 * unused; exactly one use wins. Shown on a page: no redirect URI is trusted yet.
 */
async function takePushedRequest(
  c: Context<AppEnv>,
  clientId: string,
  values: Record<string, string>,
  repeated: Set<string>,
): Promise<{ values: Record<string, string>; repeated: Set<string> }> {
  if (repeated.has('request_uri')) throw pageError('request_uri is repeated');
  const taken = await c.var.ports.pushedRequests.take(values.request_uri!, clientId);
  if (!taken.ok) {
    throw new OAuthError('invalid_request_uri', 'the request_uri is unknown, expired, already used or was pushed by another client');
  }
  return { values: taken.params, repeated: new Set() };
}

async function authorize(c: Context<AppEnv>, read: () => Promise<URLSearchParams> | URLSearchParams): Promise<Response> {
  const { db, now } = c.var.ports;
  let target: ResponseTarget;
  let values: Record<string, string>;
  let repeated: Set<string>;
  let client;
  let pushed = false;
  // Stage one: nothing is redirected until the client and redirect URI are trusted.
  try {
    ({ values, repeated } = singleValues(await read()));
    // Cached in the isolate as at the token endpoint (client-cache.ts gives the bound).
    client = await findCachedClient(db, requestedClientId(values, repeated), now());
    if (client && values.request_uri !== undefined) {
      // RFC 9126 §4: only the pushed parameters count; the request_uri is spent here.
      ({ values, repeated } = await takePushedRequest(c, client.clientId, values, repeated));
      pushed = true;
    }
    target = trustRedirectUri(values, repeated, client);
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return renderErrorPage(c, err);
    throw err;
  }
  try {
    const origin = { pushed, pushRequired: requiresPushedRequest(client!, c.var.ports.config) };
    const request = await withIdTokenHint(c, parseAuthorizationRequest(values, repeated, client!, target, origin), values.id_token_hint);
    const browser = await currentSession(c);
    return await continueAuthorization(c, { client: client!, request, browser, interaction: null });
  } catch (err) {
    if (err instanceof ServiceError && err.status < 500) return redirectError(c, target, err);
    throw err;
  }
}

async function resume(c: Context<AppEnv>): Promise<Response> {
  const { sessions, db, now } = c.var.ports;
  const handle = sessionHandle(c);
  const id = c.req.query('interaction') ?? '';
  const found = handle ? await sessions.interaction(handle, id, now()) : null;
  if (!handle || !found) {
    throw pageError('this sign-in request has expired or was already completed; go back to the application and start again');
  }
  const { request } = found.interaction;
  // RFC 8628 §3.3: a device request signed in for goes on to its approval page.
  if (request.device) return resumeDeviceAuthorization(c, { handle, session: found.session }, found.interaction);
  // The client may have been deleted or changed while the person signed in.
  const client = await findCachedClient(db, request.clientId, now());
  if (!client || !client.metadata.redirect_uris.includes(request.redirectUri)) {
    throw new OAuthError('invalid_client', 'the application is no longer registered');
  }
  try {
    return await continueAuthorization(c, {
      client,
      request,
      browser: { handle, session: found.session },
      interaction: found.interaction,
    });
  } catch (err) {
    // After a page the request is trusted: protocol errors go back to the client.
    if (err instanceof ServiceError && err.error !== 'invalid_request' && err.status < 500) return redirectError(c, request, err);
    throw err;
  }
}

export const authorizeRoutes = new Hono<AppEnv>()
  .get(OAUTH.authorize, (c) => authorize(c, () => new URL(c.req.url).searchParams))
  .post(OAUTH.authorize, (c) => authorize(c, () => formParameters(c)))
  .get(OAUTH.authorizeResume, page(resume));
