// Renders the sign-in page (contract §6) for a pending authorization request or
// for a plain visit, with the session's CSRF token for the password form. A
// visit without a session gets none (only a sign-in opens one): its form carries
// a double-submit token instead (./signin-csrf.ts).
import type { Context } from 'hono';
import { acrFor } from '../assurance/acr.ts';
import { findCachedClient } from '../clients/client-cache.ts';
import type { AppEnv } from '../http/context.ts';
import { formActionSource } from '../oauth/authorization-response.ts';
import { cspAllowingFormRedirectTo, renderPage } from '../pages/layout.tsx';
import { SignInPage } from '../pages/sign-in.tsx';
import { currentSession, sessionHandle } from './browser-session.ts';
import { preSessionCsrfToken } from './signin-csrf.ts';
import { expiredInteraction } from './page-errors.ts';

export interface SignInPageOptions {
  interactionId?: string;
  error?: string;
  username?: string;
  status?: number;
  headers?: Record<string, string>;
}

export async function showSignInPage(c: Context<AppEnv>, options: SignInPageOptions = {}): Promise<Response> {
  const { sessions, db, now } = c.var.ports;
  const { interactionId: id, error, username, status = 200 } = options;
  for (const [name, value] of Object.entries(options.headers ?? {})) c.header(name, value);
  if (id === undefined) {
    // A plain visit opens no server-side session: the form's token is a double-submit cookie's.
    const browser = await currentSession(c);
    const csrfToken = browser?.session.csrfToken ?? preSessionCsrfToken(c);
    return renderPage(c, SignInPage({ csrfToken, error, username }), status);
  }
  const handle = sessionHandle(c);
  // Focus: the passkey verify continues the request this page shows.
  const found = handle ? await sessions.interaction(handle, id, now(), true) : null;
  if (!found) throw expiredInteraction();
  const { request } = found.interaction;
  const client = await findCachedClient(db, request.clientId, now());
  return renderPage(
    c,
    SignInPage({
      interactionId: found.interaction.id,
      clientName: client?.metadata.client_name,
      loginHint: request.loginHint,
      // Signed in already, but not strongly enough for this request (contract §8 step-up).
      stepUp: found.session.authentication !== null && acrFor(found.session.authentication, request.acrValues) === null,
      csrfToken: found.session.csrfToken,
      error,
      username,
    }),
    status,
    // The password form ends, through /authorize/resume, in a redirect to the client.
    cspAllowingFormRedirectTo(formActionSource(request.redirectUri)),
  );
}
