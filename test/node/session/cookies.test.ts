import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, readSessionCookie, sessionCookie, sessionCookieName } from '../../../src/session/cookies.ts';

const HANDLE = `${'a'.repeat(64)}.${'B'.repeat(43)}`;

function attributes(line: string): string[] {
  return line.split(';').slice(1).map((a) => a.trim().toLowerCase());
}

describe('the session cookie on an https issuer (RFC 6265bis §4.1.3.2 __Host- prefix)', () => {
  const issuer = 'https://id.example.nhs.uk';

  it('is __Host-session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', () => {
    const line = sessionCookie(issuer, HANDLE, 3600);
    expect(line.startsWith(`__Host-session=${HANDLE};`)).toBe(true);
    const attrs = attributes(line);
    expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/', 'max-age=3600']));
    expect(attrs.some((a) => a.startsWith('domain'))).toBe(false);
    expect(sessionCookieName(issuer)).toBe('__Host-session');
  });

  it('is removed with the same name and attributes and Max-Age=0', () => {
    const line = clearedSessionCookie(issuer);
    expect(line.startsWith('__Host-session=;')).toBe(true);
    expect(attributes(line)).toEqual(expect.arrayContaining(['secure', 'path=/', 'max-age=0']));
  });

  it('is read back only under its own name', () => {
    expect(readSessionCookie(`other=1; __Host-session=${HANDLE}`, issuer)).toBe(HANDLE);
    expect(readSessionCookie(`session=${HANDLE}`, issuer)).toBeNull();
  });
});

describe('the session cookie on http://localhost (browsers drop Secure cookies on http)', () => {
  const issuer = 'http://localhost:8787';

  it('is a plain session cookie without Secure, still HttpOnly, SameSite=Lax, Path=/', () => {
    const line = sessionCookie(issuer, HANDLE);
    expect(line.startsWith(`session=${HANDLE};`)).toBe(true);
    const attrs = attributes(line);
    expect(attrs).toEqual(['path=/', 'httponly', 'samesite=lax']);
  });

  it('ignores values that are not handles', () => {
    expect(readSessionCookie('session=<script>', issuer)).toBeNull();
    expect(readSessionCookie('session=', issuer)).toBeNull();
    expect(readSessionCookie(undefined, issuer)).toBeNull();
    expect(readSessionCookie(`session=${HANDLE}`, issuer)).toBe(HANDLE);
  });
});
