// POST /signin/password (issue 4 point 4): the sign-in page's form for a
// password and an authenticator-app code. No script: success redirects (303)
// where the passkey path would send the browser; a refusal shows the page again
// with the problem in its alert region. Failures count towards lockout.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { methodNotAllowed } from '../http/errors.ts';
import { clientAddress } from '../limits/client-address.ts';
import { addressSubject, assertMayAttempt, personSubject, recordFailedAttempt, recordSuccessfulAttempt, TooManyAttempts, type AttemptState } from '../limits/lockout.ts';
import { findPasswordHolder, PasswordSignInError, verifyPasswordSignIn } from '../password/password-authentication.ts';
import { PASSWORD_SIGNIN_PATH } from '../pages/password-sign-in.tsx';
import type { Authentication } from '../ports.ts';
import { sessionHandle } from './browser-session.ts';
import { checkCsrfToken, CSRF_FIELD } from './csrf.ts';
import { expiredInteraction, page } from './page-errors.ts';
import { auditSignIn, completeSignIn, type SignInContext } from './sign-in-completion.ts';
import { showSignInPage } from './sign-in-page.ts';

const field = (max: number) => z.string().max(max).optional();
const signInForm = z.looseObject({
  [CSRF_FIELD]: field(256),
  interaction: field(64),
  username: field(256),
  password: field(1024),
  totp_code: field(32),
});

const WEAK = 'a password and authenticator app are not strong enough for this service; use a security key or a passkey kept only on this device';

/** The session the form was rendered in (its CSRF token) and the request it continues. */
async function formContext(c: Context<AppEnv>, fields: z.output<typeof signInForm>): Promise<SignInContext> {
  const { sessions, now } = c.var.ports;
  const handle = sessionHandle(c);
  const session = handle ? await sessions.load(handle, now()) : null;
  checkCsrfToken(fields[CSRF_FIELD], session?.csrfToken ?? '');
  if (!handle || !session) throw expiredInteraction();
  if (!fields.interaction) return { handle, session, interaction: null };
  const found = await sessions.interaction(handle, fields.interaction, now());
  if (!found) throw expiredInteraction();
  return { handle, session: found.session, interaction: found.interaction };
}

async function signIn(c: Context<AppEnv>): Promise<Response> {
  const { ports } = c.var;
  const { db, config, now } = ports;
  const fields = await readForm(c, signInForm);
  const context = await formContext(c, fields);
  const username = fields.username?.trim() ?? '';
  const code = fields.totp_code?.trim() ?? '';
  const method: Authentication['method'] = code ? 'password_totp' : 'password';
  const again = (error: string, status: number, headers?: Record<string, string>) =>
    showSignInPage(c, { interactionId: context.interaction?.id, error, username, status, headers });
  if (!username || !fields.password) return again('Enter your username and password', 400);

  const address = addressSubject(clientAddress(c));
  const holder = await findPasswordHolder(db, username);
  let attempt: AttemptState | null;
  try {
    // Issue 4 point 5: a throttled or locked person or address is refused before any password is checked.
    [, attempt] = await Promise.all([assertMayAttempt(ports, address), holder ? assertMayAttempt(ports, personSubject(holder.id)) : null]);
  } catch (err) {
    if (!(err instanceof TooManyAttempts)) throw err;
    await auditSignIn(c, 'failure', holder?.id ?? null, context, { method, reason: err.locked ? 'locked' : 'throttled' });
    return again(capitalised(err.description), 429, err.headers);
  }

  let authentication: Authentication;
  try {
    authentication = await verifyPasswordSignIn({ db, config, holder, password: fields.password, code, now: now() });
  } catch (err) {
    if (!(err instanceof PasswordSignInError)) throw err;
    await auditSignIn(c, 'failure', err.personId, context, { method, reason: err.reason });
    await recordFailedAttempt(ports, address, c.var.requestId);
    if (err.personId) await recordFailedAttempt(ports, personSubject(err.personId), c.var.requestId);
    return again('The username, password or code is not right', 401);
  }

  let next: string;
  try {
    next = await completeSignIn(c, context, authentication, WEAK);
  } catch (err) {
    if (err instanceof OAuthError && err.error === 'unmet_authentication_requirements') return again(capitalised(err.description), 400);
    throw err;
  }
  if (attempt) await recordSuccessfulAttempt(ports, attempt);
  return c.redirect(next, 303);
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const passwordSignInRoutes = new Hono<AppEnv>()
  .post(PASSWORD_SIGNIN_PATH, page(signIn))
  .all(PASSWORD_SIGNIN_PATH, methodNotAllowed(['POST']));
