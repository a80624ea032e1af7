import { describe, expect, it } from 'vitest';
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from '../../../src/session/cookies.ts';
import { attributes, readWith, setCookieLine } from '../../support/node/cookie-calls.ts';

const HANDLE = `${'a'.repeat(64)}.${'B'.repeat(43)}`;

describe('the session cookie on an https issuer (RFC 6265bis §4.1.3.2 __Host- prefix)', () => {
  const issuer = 'https://id.example.nhs.uk';

  it('is __Host-session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const line = await setCookieLine((c) => writeSessionCookie(c, issuer, HANDLE, 3600));
    expect(line.startsWith(`__Host-session=${HANDLE};`)).toBe(true);
    const attrs = attributes(line);
    expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/', 'max-age=3600']));
    expect(attrs.some((a) => a.startsWith('domain'))).toBe(false);
  });

  it('is removed with the same name and attributes and Max-Age=0', async () => {
    const line = await setCookieLine((c) => clearSessionCookie(c, issuer));
    expect(line.startsWith('__Host-session=;')).toBe(true);
    expect(attributes(line)).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/', 'max-age=0']));
  });

  it('is read back only under its own name', async () => {
    expect(await readWith(`other=1; __Host-session=${HANDLE}`, (c) => readSessionCookie(c, issuer))).toBe(HANDLE);
    expect(await readWith(`session=${HANDLE}`, (c) => readSessionCookie(c, issuer))).toBeNull();
  });

  it('caps a remembered session at the 400 days browsers keep a cookie (RFC 6265bis §5.6.2), never a 500', async () => {
    const line = await setCookieLine((c) => writeSessionCookie(c, issuer, HANDLE, 500 * 24 * 3600));
    expect(attributes(line)).toContain(`max-age=${400 * 24 * 3600}`);
  });
});

describe('the session cookie on http://localhost (browsers drop Secure cookies on http)', () => {
  const issuer = 'http://localhost:8787';

  it('is a plain session cookie without Secure, still HttpOnly, SameSite=Lax, Path=/', async () => {
    const line = await setCookieLine((c) => writeSessionCookie(c, issuer, HANDLE));
    expect(line.startsWith(`session=${HANDLE};`)).toBe(true);
    expect(attributes(line)).toEqual(['path=/', 'httponly', 'samesite=lax']);
  });

  it('ignores values that are not handles', async () => {
    const read = (header: string | undefined) => readWith(header, (c) => readSessionCookie(c, issuer));
    expect(await read('session=<script>')).toBeNull();
    expect(await read('session=')).toBeNull();
    expect(await read(undefined)).toBeNull();
    expect(await read(`session=${HANDLE}`)).toBe(HANDLE);
  });
});
