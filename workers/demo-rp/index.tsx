// The demo relying party, built on oauth4webapi as a clinical system would be:
// discovery, authorization code + PKCE, ID token validation, userinfo, refresh,
// RP-initiated logout, and a back-channel logout receiver.
import { Hono } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { seal, unseal } from './sealed-cookie.ts';
import { clearTokens, readTokens, writeTokens } from './token-cookie.ts';
import { SignedIn, SignedOut, type Tokens } from './views.tsx';
import nhsukCss from '../../node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import favicon from '../../node_modules/nhsuk-frontend/dist/nhsuk/assets/images/favicon.svg';
import siteCss from '../../src/pages/styles/site.css';

interface Env {
  ISSUER: string;
  CLIENT_ID: string;
  CLIENT_SECRET: string;
  BASE_URL: string;
  COOKIE_SECRET: string;
  SCOPE?: string;
}

const DEFAULT_SCOPE = 'openid profile nhsperson associatedorgs nationalrbacaccess selectedrole';

// Logout tokens received, newest first, and the sessions they ended: kept in the
// isolate, which is enough for a demo.
const logouts: { sid?: string; sub?: string; received_at: string }[] = [];
const endedSids = new Set<string>();

let server: Promise<oauth.AuthorizationServer> | undefined;

function authorizationServer(env: Env): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(env.ISSUER);
  server ??= oauth
    .discoveryRequest(issuer, { [oauth.allowInsecureRequests]: issuer.protocol === 'http:' })
    .then((res) => oauth.processDiscoveryResponse(issuer, res))
    .catch((err) => {
      server = undefined;
      throw err;
    });
  return server;
}

const options = (env: Env) => ({ [oauth.allowInsecureRequests]: env.ISSUER.startsWith('http:') });
const client = (env: Env): oauth.Client => ({ client_id: env.CLIENT_ID });
const redirectUri = (env: Env) => `${env.BASE_URL}/callback`;
const secure = (env: Env) => env.BASE_URL.startsWith('https:');

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
}

interface Stored extends Tokens {
  sid?: string;
  sub: string;
}

const app = new Hono<{ Bindings: Env }>();

// The same look as the identity service: its stylesheet (without the web font, as
// there) and the NHS favicon, which browsers ask for at /favicon.ico.
const STATIC: Record<string, { body: string; type: string }> = {
  '/assets/nhsuk.min.css': { body: nhsukCss.replace(/@font-face\{[^}]*\}/g, ''), type: 'text/css; charset=utf-8' },
  '/assets/site.css': { body: siteCss, type: 'text/css; charset=utf-8' },
  '/favicon.ico': { body: favicon, type: 'image/svg+xml; charset=utf-8' },
};
for (const [path, { body, type }] of Object.entries(STATIC)) {
  app.get(path, (c) => c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' }));
}

app.get('/', async (c) => {
  const stored = await readTokens<Stored>(c, c.env.COOKIE_SECRET);
  if (!stored || (stored.sid && endedSids.has(stored.sid))) {
    const message = stored ? 'Your session was ended by a back-channel logout.' : c.req.query('message');
    if (stored) clearTokens(c);
    return c.html(<SignedOut logouts={logouts} message={message} />);
  }
  return c.html(<SignedIn tokens={stored} logouts={logouts} />);
});

app.get('/login', async (c) => {
  const as = await authorizationServer(c.env);
  const pending: Pending = { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce() };
  if (!as.authorization_endpoint) throw new Error('it advertises no authorization endpoint');
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', c.env.CLIENT_ID);
  url.searchParams.set('redirect_uri', redirectUri(c.env));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', c.env.SCOPE ?? DEFAULT_SCOPE);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  setCookie(c, 'demo_pending', await seal(c.env.COOKIE_SECRET, pending), { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(c.env), maxAge: 600 });
  return c.redirect(url.href);
});

app.get('/callback', async (c) => {
  const pending = await unseal<Pending>(c.env.COOKIE_SECRET, getCookie(c, 'demo_pending'));
  if (!pending) return c.redirect('/?message=Sign-in%20expired%2C%20try%20again');
  deleteCookie(c, 'demo_pending', { path: '/' });
  const as = await authorizationServer(c.env);
  const auth = oauth.ClientSecretBasic(c.env.CLIENT_SECRET);
  try {
    const params = oauth.validateAuthResponse(as, client(c.env), new URL(c.req.url), pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client(c.env), auth, params, redirectUri(c.env), pending.verifier, options(c.env));
    const result = await oauth.processAuthorizationCodeResponse(as, client(c.env), response, { expectedNonce: pending.nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    const info = await oauth.userInfoRequest(as, client(c.env), result.access_token, options(c.env));
    const userinfo = await oauth.processUserInfoResponse(as, client(c.env), claims.sub, info);
    const stored: Stored = {
      id_token: result.id_token,
      access_token: result.access_token,
      refresh_token: result.refresh_token,
      userinfo,
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      sub: claims.sub,
    };
    await writeTokens(c, c.env.COOKIE_SECRET, stored, secure(c.env));
    return c.redirect('/');
  } catch (err) {
    const message = err instanceof oauth.AuthorizationResponseError || err instanceof oauth.ResponseBodyError ? `${err.error}: ${err.error_description ?? ''}` : String(err);
    return c.redirect(`/?message=${encodeURIComponent(`Sign-in failed: ${message}`)}`);
  }
});

app.post('/refresh', async (c) => {
  const stored = await readTokens<Stored>(c, c.env.COOKIE_SECRET);
  if (!stored?.refresh_token) return c.redirect('/');
  const as = await authorizationServer(c.env);
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client(c.env), oauth.ClientSecretBasic(c.env.CLIENT_SECRET), stored.refresh_token, options(c.env));
    const result = await oauth.processRefreshTokenResponse(as, client(c.env), response);
    const next: Stored = {
      ...stored,
      access_token: result.access_token,
      refresh_token: result.refresh_token ?? stored.refresh_token,
      id_token: result.id_token ?? stored.id_token,
      refreshed_at: new Date().toISOString(),
    };
    await writeTokens(c, c.env.COOKIE_SECRET, next, secure(c.env));
    return c.redirect('/');
  } catch (err) {
    clearTokens(c);
    return c.redirect(`/?message=${encodeURIComponent(`Refresh failed: ${err instanceof oauth.ResponseBodyError ? err.error : String(err)}`)}`);
  }
});

app.post('/logout', async (c) => {
  const stored = await readTokens<Stored>(c, c.env.COOKIE_SECRET);
  clearTokens(c);
  const as = await authorizationServer(c.env);
  if (!as.end_session_endpoint) return c.redirect('/?message=Signed%20out%20of%20the%20demo%20only');
  const url = new URL(as.end_session_endpoint);
  if (stored?.id_token) url.searchParams.set('id_token_hint', stored.id_token);
  url.searchParams.set('client_id', c.env.CLIENT_ID);
  url.searchParams.set('post_logout_redirect_uri', `${c.env.BASE_URL}/`);
  url.searchParams.set('state', oauth.generateRandomState());
  return c.redirect(url.href);
});

// OpenID Connect Back-Channel Logout 1.0 §2.6: validate the logout token, end the session it names.
app.post('/backchannel-logout', async (c) => {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const token = typeof form.logout_token === 'string' ? form.logout_token : '';
  try {
    const as = await authorizationServer(c.env);
    const jwks = createRemoteJWKSet(new URL(as.jwks_uri!));
    const { payload } = await jwtVerify(token, jwks, { issuer: as.issuer, audience: c.env.CLIENT_ID, typ: 'logout+jwt', maxTokenAge: '2m' });
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events?.['http://schemas.openid.net/event/backchannel-logout'] || 'nonce' in payload) throw new Error('not a logout token');
    const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
    if (sid) endedSids.add(sid);
    logouts.unshift({ sid, sub: payload.sub, received_at: new Date().toISOString() });
    logouts.length = Math.min(logouts.length, 20);
    return c.body(null, 200, { 'Cache-Control': 'no-store' });
  } catch {
    return c.json({ error: 'invalid_request', error_description: 'invalid logout token' }, 400, { 'Cache-Control': 'no-store' });
  }
});

app.get('/backchannel-logouts', (c) => c.json(logouts));

// The identity service may be down or lack an endpoint: say so instead of a bare 500.
app.onError((err, c) =>
  c.html(<SignedOut logouts={logouts} message={`The identity service could not be used: ${err.message}`} />, 502),
);

export default app;
