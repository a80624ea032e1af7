// Every cookie this service sets: HttpOnly, Path=/, never a Domain, with the
// __Host- prefix and Secure on an https issuer (RFC 6265bis §4.1.3.2), and a
// plain name on http://localhost where browsers would drop a Secure cookie.
// Serialising and parsing are hono/cookie's.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';

export interface ServiceCookie {
  /** The name without its prefix. */
  name: string;
  sameSite: 'Lax' | 'Strict';
}

// RFC 6265bis §5.6.2: user agents cap Max-Age at 400 days; hono refuses more.
const MAX_AGE_CAP_SECONDS = 400 * 24 * 3600;

const isHttps = (issuer: string) => issuer.startsWith('https://');

function options(issuer: string, cookie: ServiceCookie): CookieOptions {
  const base: CookieOptions = { path: '/', httpOnly: true, sameSite: cookie.sameSite };
  return isHttps(issuer) ? { ...base, secure: true, prefix: 'host' } : base;
}

/** The cookie's value, or undefined when the request does not carry it. */
export function readCookie(c: Context, issuer: string, cookie: ServiceCookie): string | undefined {
  return getCookie(c, cookie.name, isHttps(issuer) ? 'host' : undefined);
}

/** Appends Set-Cookie; with no max age the cookie ends with the browser. */
export function writeCookie(c: Context, issuer: string, cookie: ServiceCookie, value: string, maxAgeSeconds?: number): void {
  const maxAge = maxAgeSeconds === undefined ? {} : { maxAge: Math.min(MAX_AGE_CAP_SECONDS, Math.max(0, Math.floor(maxAgeSeconds))) };
  setCookie(c, cookie.name, value, { ...maxAge, ...options(issuer, cookie) });
}

/** Appends Set-Cookie that removes the cookie: same name and attributes, empty, Max-Age=0. */
export function clearCookie(c: Context, issuer: string, cookie: ServiceCookie): void {
  deleteCookie(c, cookie.name, options(issuer, cookie));
}
