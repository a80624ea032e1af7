// CSRF defence for the sign-in form before any session exists (OWASP CSRF Cheat
// Sheet, double-submit cookie): a plain visit to the sign-in page opens no
// server-side session, so its form carries a random token that must equal the
// one in a __Host- (on https), HttpOnly, SameSite=Strict cookie set with the page.
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { randomToken, timingSafeEqual } from '../secrets.ts';
import { checkCsrfToken } from './csrf.ts';

const cookieName = (issuer: string) => (issuer.startsWith('https://') ? '__Host-signin-csrf' : 'signin-csrf');
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

function presentedCookie(c: Context<AppEnv>): string | null {
  const name = cookieName(c.var.ports.config.issuer);
  for (const pair of (c.req.header('cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      return TOKEN.test(value) ? value : null;
    }
  }
  return null;
}

/** The token for a session-less sign-in form: the browser's own, or a new one set as a cookie. */
export function preSessionCsrfToken(c: Context<AppEnv>): string {
  const existing = presentedCookie(c);
  if (existing) return existing;
  const token = randomToken();
  const { issuer } = c.var.ports.config;
  const secure = issuer.startsWith('https://') ? '; Secure' : '';
  c.header('Set-Cookie', `${cookieName(issuer)}=${token}; Path=/; HttpOnly; SameSite=Strict${secure}`, { append: true });
  return token;
}

/** Refuses (403) a session-less form whose token is not the cookie's. */
export function checkPreSessionCsrf(c: Context<AppEnv>, presented: string | undefined): void {
  const expected = presentedCookie(c);
  if (!expected) checkCsrfToken(presented, '');
  else checkCsrfToken(presented && timingSafeEqual(presented, expected) ? presented : undefined, expected);
}
