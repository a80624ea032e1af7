// POST /signin/password (docs/assurance.md, "Password + authenticator app"): the sign-in page's form for a
// password and an authenticator-app code. No script: success redirects (303)
// where the passkey path would send the browser; a refusal shows the page again
// with the problem in its alert region. Failures count towards lockout: the
// (address, username) pair and the address always, the person only for a password
// they hold (NIST SP 800-63B §5.2.2).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { clientAddress } from '../limits/client-address.ts';
import { addressSubject, assertMayAttempt, pairSubject, personSubject, recordFailedAttempts, recordSuccessfulAttempt, TooManyAttempts, type AttemptState } from '../limits/lockout.ts';
import { findPasswordHolder } from '../directory/password-holders.ts';
import { failsPasswordMethod, PasswordSignInError, verifyPasswordSignIn } from '../password/password-authentication.ts';
import { SIGN_IN } from '../paths.ts';
import type { Authentication } from '../ports.ts';
import { sessionHandle, startSession } from './browser-session.ts';
import { checkPreSessionCsrf } from './signin-csrf.ts';
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

/** A sign-in from the plain page, before any session: one opens only once the password is right. */
type FormContext = SignInContext | { handle: null; session: null; interaction: null };

/** The session the form was rendered in (its CSRF token) and the request it continues. */
async function formContext(c: Context<AppEnv>, fields: z.output<typeof signInForm>): Promise<FormContext> {
  const { sessions, now } = c.var.ports;
  const handle = sessionHandle(c);
  const session = handle ? await sessions.load(handle, now()) : null;
  if (!handle || !session) {
    if (fields.interaction) throw expiredInteraction();
    checkPreSessionCsrf(c, fields[CSRF_FIELD]);
    return { handle: null, session: null, interaction: null };
  }
  checkCsrfToken(fields[CSRF_FIELD], session.csrfToken);
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

  const address = clientAddress(c);
  const holder = await findPasswordHolder(db, username);
  const subjects = [addressSubject(address), await pairSubject(address, username), ...(holder ? [personSubject(holder.id)] : [])];
  let attempt: AttemptState[];
  try {
    // A throttled or locked pair, address or person is refused before any password is checked,
    // in words that do not tell which, nor whether the username exists (OWASP ASVS V2.2.1).
    attempt = await assertMayAttempt(ports, 'password', subjects);
  } catch (err) {
    if (!(err instanceof TooManyAttempts)) throw err;
    await auditSignIn(c, 'failure', holder?.id ?? null, context, { method, ...err.auditDetails });
    return again(capitalised(err.description), 429, err.headers);
  }

  const refused = async (err: PasswordSignInError) => {
    await auditSignIn(c, 'failure', err.personId, context, { method, reason: err.reason });
    // The pair and the address count every failure alike, so their refusals say nothing about
    // the username; the person counts only failures of the password they hold.
    const counted = attempt.filter((s) => s.subject.kind !== 'person' || failsPasswordMethod(err.reason));
    await recordFailedAttempts(ports, 'password', counted, { requestId: c.var.requestId, personId: err.personId });
    return again('The username, password or code is not right', 401);
  };
  let next: string;
  try {
    const { authentication, gate } = await verifyPasswordSignIn({ db, config, holder, password: fields.password, code, now: now() });
    const opened = context.handle === null ? { ...(await startSession(c)), interaction: null } : context;
    // The code's step is spent in the sign-in's own transaction, with its audit row.
    next = await completeSignIn(c, opened, authentication, WEAK, gate);
  } catch (err) {
    if (err instanceof PasswordSignInError) return refused(err);
    if (err instanceof OAuthError && err.error === 'unmet_authentication_requirements') return again(capitalised(err.description), 400);
    throw err;
  }
  await recordSuccessfulAttempt(ports, 'password', attempt);
  return c.redirect(next, 303);
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const passwordSignInRoutes = new Hono<AppEnv>()
  .post(SIGN_IN.password, page(signIn));
