// The operator guard, in front of every console route but sign-in itself. On
// EVERY request, with no cache (so deactivation, the operator role's removal or
// the end of the sign-on session takes effect on the very next request):
// - the sealed console cookie opens, within the AAL3 inactivity limit (NIST SP
//   800-63B §4.3.3: SESSION_IDLE_AAL3) and the session's absolute lifetime
//   (SESSION_MAX_AGE from auth_time);
// - the grant the console's sign-in made (to the console's client) is still live in its session object
//   (logout, deactivation, or revoking the authenticator that signed the
//   session in all revoke it), belongs to the same person, and rests on an
//   AAL3 authentication;
// - the person is active and holds the operator role (operator-role.ts);
// - a POST carries the console session's CSRF token (OWASP synchroniser token).
// Cost: one libSQL read and one call to the session's object per request.
import type { MiddlewareHandler } from 'hono';
import { bodyText, mediaType } from '../http/body.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { timingSafeEqual } from '../secrets.ts';
import { CONSOLE_CLIENT_ID } from './console-client.ts';
import type { ConsoleContext, ConsoleEnv } from './context.ts';
import { consoleCookieName, consoleSessionSchema, cookieHeader, readCookie, seal, unseal, type ConsoleSession } from './console-cookie.ts';
import { findOperator } from './operator-role.ts';
import { FORM_EXPIRED, NOT_AAL3, NOT_AN_OPERATOR, renderRefusal } from './refusal-page.tsx';
import { CONSOLE } from '../paths.ts';

/** Where an unauthenticated request goes: sign in, then back to the page asked for (GET only). */
function toSignIn(c: ConsoleContext): Response {
  const url = new URL(c.req.url);
  const returnTo = c.req.method === 'GET' ? `${url.pathname}${url.search}` : CONSOLE.mount;
  clearConsoleCookie(c);
  return c.redirect(`${CONSOLE.login}?return_to=${encodeURIComponent(returnTo)}`, 303);
}

export function clearConsoleCookie(c: ConsoleContext): void {
  const { issuer } = c.var.ports.config;
  if (!readCookie(c.req.header('cookie'), consoleCookieName(issuer))) return;
  c.header('Set-Cookie', cookieHeader(issuer, consoleCookieName(issuer), '', { sameSite: 'Strict', maxAgeSeconds: 0 }), { append: true });
}

/** Sets the console session cookie; it ends with the browser (no Max-Age). */
export async function setConsoleCookie(c: ConsoleContext, session: ConsoleSession): Promise<void> {
  const { issuer, keyEncryptionSecret } = c.var.ports.config;
  const name = consoleCookieName(issuer);
  c.header('Set-Cookie', cookieHeader(issuer, name, await seal(keyEncryptionSecret, name, session), { sameSite: 'Strict' }), { append: true });
}

/** The console session the cookie carries, if it opens and is within both time limits. */
export async function readConsoleSession(c: ConsoleContext): Promise<ConsoleSession | null> {
  const { config, now } = c.var.ports;
  const name = consoleCookieName(config.issuer);
  const sealed = readCookie(c.req.header('cookie'), name);
  const session = sealed ? await unseal(config.keyEncryptionSecret, name, sealed, consoleSessionSchema) : null;
  if (!session) return null;
  const at = now();
  if (at - session.lastActiveAt >= config.ttl.sessionIdleAal3 * 1000) return null;
  if (at - session.authTime >= config.ttl.sessionMaxAge * 1000) return null;
  return session;
}

async function postedCsrfToken(c: ConsoleContext): Promise<string | null> {
  if (mediaType(c) !== 'application/x-www-form-urlencoded') return null;
  // Hono keeps the body, so the handler can read the form again.
  const fields = new URLSearchParams(await bodyText(c));
  return fields.getAll(CSRF_FIELD).length === 1 ? fields.get(CSRF_FIELD) : null;
}

export const requireOperator: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const { ports } = c.var;
  const session = await readConsoleSession(c);
  if (!session) return toSignIn(c);
  const [grant, operator] = await Promise.all([ports.grants.findGrant(session.grantId), findOperator(ports.db, session.personId)]);
  if (!grant || grant.clientId !== CONSOLE_CLIENT_ID || grant.personId !== session.personId) return toSignIn(c);
  if (grant.authentication.aal !== 3) {
    clearConsoleCookie(c);
    return renderRefusal(c, NOT_AAL3);
  }
  if (!operator) {
    clearConsoleCookie(c);
    return renderRefusal(c, NOT_AN_OPERATOR);
  }
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const presented = await postedCsrfToken(c);
    if (!presented || !timingSafeEqual(presented, session.csrfToken)) return renderRefusal(c, FORM_EXPIRED);
  }
  c.set('operator', operator);
  c.set('csrfToken', session.csrfToken);
  await next();
  // Sliding inactivity: this request counts as activity. Not after sign-out, which clears the cookie.
  if (!c.res.headers.get('Set-Cookie')?.includes(`${consoleCookieName(ports.config.issuer)}=`)) {
    await setConsoleCookie(c, { ...session, lastActiveAt: ports.now() });
  }
};
