// Operator sign-in: the console is a relying party of this service
// (console-client.ts). /console/login pushes an authorization request (RFC 9126)
// with PKCE S256, state, nonce and acr_values=AAL3_ANY (CONTRACT §8: a passkey
// kept on one device) and sends the browser to /authorize with its request_uri;
// /console/callback checks state and iss (RFC 9207), redeems the code in-process
// through the token endpoint's own grant (the tokens never leave the process,
// so there is nothing to sender-constrain), checks the ID token (OIDC Core
// §3.1.3.7: signature, iss, aud, nonce) and the grant's assurance level and the
// operator role, and sets the console session cookie.
import { Hono } from 'hono';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { HttpError, OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { deferFor } from '../http/defer.ts';
import { authorizationCodeGrant } from '../oauth/grants/authorization-code.ts';
import { s256CodeChallenge } from '../oauth/pkce.ts';
import { randomToken, timingSafeEqual } from '../secrets.ts';
import { page } from '../session/page-errors.ts';
import { grantIdOfJti, verifyAccessToken } from '../tokens/access-token.ts';
import { CONSOLE_ACR, CONSOLE_CLIENT_ID, CONSOLE_SCOPE, consoleRedirectUri, ensureConsoleClient } from './console-client.ts';
import { cookieHeader, loginCookieName, loginStateSchema, readCookie, seal, unseal } from './console-cookie.ts';
import type { ConsoleContext } from './context.ts';
import { setConsoleCookie } from './operator-guard.ts';
import { findOperator } from './operator-role.ts';
import { NOT_AAL3, NOT_AN_OPERATOR, renderRefusal } from './refusal-page.tsx';
import { CONSOLE, OAUTH, under } from '../paths.ts';

const LOGIN_STATE_TTL_SECONDS = 10 * 60;
const CONSOLE_HOME = CONSOLE.mount;

// Only console paths: anything else would make /console/login an open redirector (RFC 9700 §4.11).
const returnToSchema = z
  .string()
  .max(512)
  .regex(/^\/console(\/[A-Za-z0-9\-._~%/?=&+]*)?$/)
  // No dot segments: the browser would resolve /console/../x to /x.
  .refine((path) => !/(^|\/)\.\.?(\/|$|\?)/.test(path.split('?')[0]!.replace(/%2e/gi, '.')));

const signInExpired = () => new OAuthError('invalid_request', 'this console sign-in has expired or was started in another browser; start again from the console');

const callbackSchema = z.object({
  code: z.string().min(1).max(512).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(512).optional(),
  error: z.string().max(128).optional(),
});

const idTokenClaims = z.object({
  sub: z.string(),
  nonce: z.string(),
  auth_time: z.number(),
  acr: z.string(),
  authentication_assurance_level: z.string(),
});

export const operatorSignInRoutes = new Hono<AppEnv>()
  .get(under(CONSOLE.mount, CONSOLE.login), page(async (c) => {
    const { ports } = c.var;
    await ensureConsoleClient(ports);
    const asked = returnToSchema.safeParse(c.req.query('return_to'));
    const state = { state: randomToken(), nonce: randomToken(), codeVerifier: randomToken(), returnTo: asked.success ? asked.data : CONSOLE_HOME, createdAt: ports.now() };
    const { issuer, keyEncryptionSecret } = ports.config;
    const name = loginCookieName(issuer);
    const sealed = await seal(keyEncryptionSecret, name, state);
    c.header('Set-Cookie', cookieHeader(issuer, name, sealed, { sameSite: 'Lax', maxAgeSeconds: LOGIN_STATE_TTL_SECONDS }), { append: true });
    // RFC 9126: the console pushes its own request, in-process (it is the
    // service: no client authentication to do), so the browser carries only a
    // one-time request_uri and cannot alter acr_values or anything else; this
    // also meets REQUIRE_PUSHED_AUTHORIZATION_REQUESTS and FAPI2.
    const requestUri = await ports.pushedRequests.push(
      CONSOLE_CLIENT_ID,
      {
        response_type: 'code',
        client_id: CONSOLE_CLIENT_ID,
        redirect_uri: consoleRedirectUri(issuer),
        scope: CONSOLE_SCOPE,
        state: state.state,
        nonce: state.nonce,
        code_challenge: await s256CodeChallenge(state.codeVerifier),
        code_challenge_method: 'S256',
        acr_values: CONSOLE_ACR,
      },
      ports.config.par.ttl,
    );
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${OAUTH.authorize}?${new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, request_uri: requestUri })}`, 303);
  }))
  .get(under(CONSOLE.mount, CONSOLE.callback), page(async (c) => {
    const { ports } = c.var;
    const { issuer, keyEncryptionSecret } = ports.config;
    const name = loginCookieName(issuer);
    const sealed = readCookie(c.req.header('cookie'), name);
    const login = sealed ? await unseal(keyEncryptionSecret, name, sealed, loginStateSchema) : null;
    // Spent whatever happens next: a login state serves one callback.
    c.header('Set-Cookie', cookieHeader(issuer, name, '', { sameSite: 'Lax', maxAgeSeconds: 0 }), { append: true });
    const query = callbackSchema.safeParse(c.req.query());
    if (!login || !query.success || ports.now() - login.createdAt > LOGIN_STATE_TTL_SECONDS * 1000) throw signInExpired();
    const params = query.data;
    // RFC 6749 §10.12: the state ties the response to this browser's request.
    if (!params.state || !timingSafeEqual(params.state, login.state)) throw signInExpired();
    // RFC 9207 §2.4: the response names its issuer, which must be this one.
    if (params.iss !== issuer) throw new OAuthError('invalid_request', 'the sign-in response came from another issuer');
    if (params.error === 'unmet_authentication_requirements') return renderRefusal(c, NOT_AAL3);
    if (params.error || !params.code) throw new HttpError(403, 'the sign-in did not complete; start again from the console');

    const client = await ensureConsoleClient(ports);
    const tokens = await authorizationCodeGrant({
      ports,
      client,
      params: { grant_type: 'authorization_code', code: params.code, redirect_uri: consoleRedirectUri(issuer), code_verifier: login.codeVerifier },
      requestId: c.var.requestId,
      defer: deferFor(c),
      dpopJkt: null,
    });
    const claims = await checkIdToken(c, tokens.id_token, login.nonce);
    const accessClaims = await verifyAccessToken(ports, tokens.access_token);
    const grantId = accessClaims ? grantIdOfJti(accessClaims.jti) : null;
    const grant = grantId ? await ports.grants.findGrant(grantId) : null;
    if (!grant) throw signInExpired();
    const refused = (reason: string) =>
      ports.audit.record({ actor: grant.personId, action: 'console.sign_in', subject: grant.personId, outcome: 'failure', details: { reason }, requestId: c.var.requestId });
    if (claims.authentication_assurance_level !== '3' || grant.authentication.aal !== 3) {
      await refused('not_aal3');
      return renderRefusal(c, NOT_AAL3);
    }
    const operator = await findOperator(ports.db, grant.personId);
    if (!operator || operator.uid !== claims.sub) {
      await refused('not_an_operator');
      return renderRefusal(c, NOT_AN_OPERATOR);
    }
    const at = ports.now();
    await setConsoleCookie(c as unknown as ConsoleContext, { personId: operator.personId, grantId: grant.grantId, csrfToken: randomToken(), authTime: claims.auth_time * 1000, lastActiveAt: at });
    await ports.audit.record({
      actor: operator.personId,
      action: 'console.sign_in',
      subject: operator.personId,
      outcome: 'success',
      details: { via: 'console', operatorUid: operator.uid, acr: claims.acr },
      requestId: c.var.requestId,
    });
    c.header('Cache-Control', 'no-store');
    return c.redirect(login.returnTo, 303);
  }));

/** OIDC Core §3.1.3.7: signed by this issuer, for the console, with our nonce. */
async function checkIdToken(c: { var: AppEnv['Variables'] }, idToken: string | undefined, nonce: string): Promise<z.output<typeof idTokenClaims>> {
  const { ports } = c.var;
  if (!idToken) throw signInExpired();
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(await ports.keys.jwks()), {
    issuer: ports.config.issuer,
    audience: CONSOLE_CLIENT_ID,
    currentDate: new Date(ports.now()),
  });
  const claims = idTokenClaims.parse(payload);
  if (!timingSafeEqual(claims.nonce, nonce)) throw signInExpired();
  return claims;
}
