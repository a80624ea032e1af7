// The session cookie (CONTRACT §6): `__Host-session` with Secure on an https
// issuer, a plain `session` on http://localhost where browsers would drop a
// Secure cookie. HttpOnly, SameSite=Lax, Path=/, never a Domain.
import type { Context } from 'hono';
import { clearCookie, readCookie, writeCookie, type ServiceCookie } from '../http/cookies.ts';

// SameSite=Lax: the cookie must travel on the top-level navigation from a
// client to /authorize, but not on cross-site subrequests or POSTs.
const SESSION: ServiceCookie = { name: 'session', sameSite: 'Lax' };

// Handles are `<object id hex>.<secret base64url>`; anything else is not ours.
const HANDLE = /^[0-9a-f]{1,128}\.[A-Za-z0-9_-]{1,128}$/;

/**
 * Sets the cookie for a session handle `<object id>.<secret>`. With a max age it
 * lives as long as the session; without, until the browser closes.
 */
export function writeSessionCookie(c: Context, issuer: string, handle: string, maxAgeSeconds?: number): void {
  writeCookie(c, issuer, SESSION, handle, maxAgeSeconds);
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context, issuer: string): void {
  clearCookie(c, issuer, SESSION);
}

/** The session handle the request's cookie carries; null when absent or not handle-shaped. */
export function readSessionCookie(c: Context, issuer: string): string | null {
  const value = readCookie(c, issuer, SESSION);
  return value !== undefined && HANDLE.test(value) ? value : null;
}
