// The end-session endpoint, GET and POST /logout (OpenID Connect RP-Initiated
// Logout 1.0). A request whose id_token_hint names the browser's own session
// signs it out at once; any other request from a signed-in browser is asked
// first (§2: the OP MUST ask when the hint is missing or is not for the current
// session). Afterwards: the registered post_logout_redirect_uri with state
// (§3), or our own "You have signed out" page.
import { Hono, type Context } from 'hono';
import { OAuthError } from '../errors.ts';
import { bodyText, mediaType } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { formActionSource } from '../oauth/authorization-response.ts';
import { cspAllowingFormRedirectTo, renderPage } from '../pages/layout.tsx';
import { ConfirmLogoutPage, SignedOutPage } from '../pages/logout.tsx';
import { currentSession, sessionHandle, type BrowserSession } from '../session/browser-session.ts';
import { clearSessionCookie } from '../session/cookies.ts';
import { checkCsrfToken } from '../session/csrf.ts';
import { page } from '../session/page-errors.ts';
import { confirmationFields, parseLogoutRequest, postLogoutRedirect, type LogoutRequest } from './logout-request.ts';
import { endSession } from './session-logout.ts';
import { OAUTH } from '../paths.ts';

async function parameters(c: Context<AppEnv>): Promise<URLSearchParams> {
  if (c.req.method === 'GET') return new URL(c.req.url).searchParams;
  // §2: POST sends the same parameters as a form.
  const type = mediaType(c);
  if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'the request must be a form (application/x-www-form-urlencoded)');
  return new URLSearchParams(await bodyText(c));
}

async function endSessionEndpoint(c: Context<AppEnv>): Promise<Response> {
  const params = await parameters(c);
  const request = await parseLogoutRequest(c.var.ports, params);
  const browser = await currentSession(c);
  if (request.csrfToken !== null) {
    // Our confirmation form, answered. A session that ended meanwhile has nothing left to end.
    if (!browser) return finish(c, request);
    checkCsrfToken(request.csrfToken, browser.session.csrfToken);
    return logOut(c, request, browser, true);
  }
  if (c.req.method === 'POST' && sessionHandle(c) === null) {
    // A client's cross-site form POST carries no SameSite=Lax cookie (RFC 6265bis:
    // Lax goes with top-level GETs only): continue as a GET, which brings it.
    const url = new URL(OAUTH.endSession, c.var.ports.config.issuer);
    url.search = params.toString();
    return c.redirect(url.pathname + url.search, 303);
  }
  // Nobody is signed in here: nothing to end and nothing to ask.
  if (!browser?.session.authentication) {
    if (browser) await c.var.ports.sessions.end(browser.session.id);
    return finish(c, request);
  }
  if (request.hint?.claims.sid === browser.session.id) return logOut(c, request, browser, false);
  return confirm(c, request, browser);
}

async function confirm(c: Context<AppEnv>, request: LogoutRequest, browser: BrowserSession): Promise<Response> {
  const page = ConfirmLogoutPage({
    action: OAUTH.endSession,
    csrfToken: browser.session.csrfToken,
    fields: confirmationFields(request),
    clientName: request.client?.metadata.client_name,
  });
  // The form posts here and is then redirected to the client: CSP form-action
  // must allow that origin too, or browsers stop the redirect.
  const target = request.postLogoutRedirectUri;
  return renderPage(c, page, 200, target ? cspAllowingFormRedirectTo(formActionSource(target)) : undefined);
}

/** Ends the browser's session (never another one the hint may name), notifies its clients, audits. */
async function logOut(c: Context<AppEnv>, request: LogoutRequest, browser: BrowserSession, confirmed: boolean): Promise<Response> {
  const { ports } = c.var;
  const ended = await endSession(ports, browser.session.id, { reason: 'logout' });
  const personId = ended?.personId ?? browser.session.authentication?.personId ?? null;
  await ports.audit.record({
    actor: personId ?? 'anonymous',
    action: 'logout',
    subject: personId,
    clientId: request.client?.clientId ?? null,
    outcome: 'success',
    details: { sid: browser.session.id, confirmed, hint: request.hint !== null, clients: ended?.clients ?? [] },
    requestId: c.var.requestId,
  });
  return finish(c, request);
}

function finish(c: Context<AppEnv>, request: LogoutRequest): Response | Promise<Response> {
  clearSessionCookie(c, c.var.ports.config.issuer);
  const redirect = postLogoutRedirect(request);
  if (redirect) return c.redirect(redirect, 303);
  return renderPage(c, SignedOutPage());
}

// §4: a request that does not validate is explained to the person, never redirected.
const handle = page(endSessionEndpoint, 'There is a problem with this sign-out request');

export const endSessionRoutes = new Hono<AppEnv>()
  .get(OAUTH.endSession, handle)
  .post(OAUTH.endSession, handle);
