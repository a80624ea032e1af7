// The session cookie (contract §6): `__Host-session` with Secure on an
// https issuer, a plain `session` on http://localhost where browsers would drop
// a Secure cookie. HttpOnly, SameSite=Lax, Path=/, never a Domain.

export const HOST_COOKIE = '__Host-session';
export const PLAIN_COOKIE = 'session';

function isHttps(issuer: string): boolean {
  return issuer.startsWith('https://');
}

export function sessionCookieName(issuer: string): string {
  // RFC 6265bis §4.1.3.2: __Host- requires Secure, Path=/ and no Domain.
  return isHttps(issuer) ? HOST_COOKIE : PLAIN_COOKIE;
}

function attributes(issuer: string, maxAgeSeconds: number | undefined): string {
  // SameSite=Lax: the cookie must travel on the top-level navigation from a
  // client to /authorize, but not on cross-site subrequests or POSTs.
  const parts = ['Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) parts.unshift(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  if (isHttps(issuer)) parts.push('Secure');
  return parts.join('; ');
}

/**
 * Set-Cookie for a session handle `<object id>.<secret>`. With a max age it
 * lives as long as the session; without, until the browser closes.
 */
export function sessionCookie(issuer: string, handle: string, maxAgeSeconds?: number): string {
  return `${sessionCookieName(issuer)}=${handle}; ${attributes(issuer, maxAgeSeconds)}`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(issuer: string): string {
  return `${sessionCookieName(issuer)}=; ${attributes(issuer, 0)}`;
}

/** The session handle from a Cookie header; null when absent or not handle-shaped. */
export function readSessionCookie(cookieHeader: string | undefined, issuer: string): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(issuer);
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    // Handles are hex and base64url only; anything else is not ours.
    return /^[0-9a-f]{1,128}\.[A-Za-z0-9_-]{1,128}$/.test(value) ? value : null;
  }
  return null;
}
