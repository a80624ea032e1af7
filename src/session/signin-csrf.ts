// CSRF defence for the sign-in form before any session exists (OWASP CSRF Cheat
// Sheet, double-submit cookie): a plain visit to the sign-in page opens no
// server-side session, so its form carries a random token that must equal the
// one in a __Host- (on https), HttpOnly, SameSite=Strict cookie set with the page.
import type { Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { readCookie, writeCookie, type ServiceCookie } from '../http/cookies.ts';
import { randomToken, timingSafeEqual } from '../secrets.ts';
import { checkCsrfToken } from './csrf.ts';

// A browser-session cookie (no Max-Age); __Host- on https (src/http/cookies.ts).
const CSRF_COOKIE: ServiceCookie = { name: 'signin-csrf', sameSite: 'Strict' };
const TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

function presentedCookie(c: Context<AppEnv>): string | null {
  const value = readCookie(c, c.var.ports.config.issuer, CSRF_COOKIE);
  return value !== undefined && TOKEN.test(value) ? value : null;
}

/** The token for a session-less sign-in form: the browser's own, or a new one set as a cookie. */
export function preSessionCsrfToken(c: Context<AppEnv>): string {
  const existing = presentedCookie(c);
  if (existing) return existing;
  const token = randomToken();
  writeCookie(c, c.var.ports.config.issuer, CSRF_COOKIE, token);
  return token;
}

/** Refuses (403) a session-less form whose token is not the cookie's. */
export function checkPreSessionCsrf(c: Context<AppEnv>, presented: string | undefined): void {
  const expected = presentedCookie(c);
  if (!expected) checkCsrfToken(presented, '');
  else checkCsrfToken(presented && timingSafeEqual(presented, expected) ? presented : undefined, expected);
}
