// The sealed WebAuthn challenge cookie (src/session/challenge-cookie.ts): only
// a value this service sealed, unchanged and unexpired, gives its challenge back.
import { describe, expect, it } from 'vitest';
import { clearChallengeCookie, openChallenge, readChallengeCookie, sealChallenge, writeChallengeCookie } from '../../../src/session/challenge-cookie.ts';
import { CHALLENGE_TTL_MS } from '../../../src/session/session-store.ts';
import { randomToken } from '../../../src/secrets.ts';
import { TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';
import { attributes, readWith, setCookieLine } from '../../support/node/cookie-calls.ts';

const SECRET = TEST_KEY_ENCRYPTION_SECRET;
const NOW = 1_800_000_000_000;

describe('the sealed challenge cookie (W3C WebAuthn §13.4.3)', () => {
  it('opens to the challenge and expiry it was sealed with', async () => {
    const challenge = randomToken();
    const sealed = await sealChallenge(SECRET, challenge, NOW + CHALLENGE_TTL_MS);
    expect(await openChallenge(SECRET, sealed, NOW)).toEqual({ ok: true, challenge, expiresAt: NOW + CHALLENGE_TTL_MS });
  });

  it('refuses a value whose challenge, expiry or MAC was changed, or that another secret sealed', async () => {
    const sealed = await sealChallenge(SECRET, randomToken(), NOW + 60_000);
    const [format, challenge, expiry, mac] = sealed.split('.') as [string, string, string, string];
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const tampered of [
      [format, flip(challenge), expiry, mac],
      [format, challenge, String(Number(expiry) + 1000), mac],
      [format, challenge, expiry, flip(mac)],
      ['v2', challenge, expiry, mac],
    ]) {
      expect(await openChallenge(SECRET, tampered.join('.'), NOW)).toEqual({ ok: false, problem: 'invalid' });
    }
    const other = await sealChallenge(randomToken(), challenge, NOW + 60_000);
    expect(await openChallenge(SECRET, other, NOW)).toEqual({ ok: false, problem: 'invalid' });
    for (const junk of ['', 'v1', 'v1...', `${sealed}.x`, 'x'.repeat(4096)]) {
      expect(await openChallenge(SECRET, junk, NOW)).toEqual({ ok: false, problem: 'invalid' });
    }
  });

  it('refuses a value past its expiry, or with an expiry further off than the service sets', async () => {
    const sealed = await sealChallenge(SECRET, randomToken(), NOW + 1000);
    expect((await openChallenge(SECRET, sealed, NOW + 999)).ok).toBe(true);
    expect(await openChallenge(SECRET, sealed, NOW + 1000)).toEqual({ ok: false, problem: 'expired' });
    const distant = await sealChallenge(SECRET, randomToken(), NOW + CHALLENGE_TTL_MS + 1);
    expect(await openChallenge(SECRET, distant, NOW)).toEqual({ ok: false, problem: 'expired' });
  });

  it('is HttpOnly, SameSite=Strict, five minutes, and __Host- with Secure on an https issuer (RFC 6265bis §4.1.3.2)', async () => {
    expect(await setCookieLine((c) => writeChallengeCookie(c, 'http://localhost:8787', 'v'))).toBe('webauthn-challenge=v; Max-Age=300; Path=/; HttpOnly; SameSite=Strict');
    const https = await setCookieLine((c) => writeChallengeCookie(c, 'https://id.example', 'v'));
    expect(https.startsWith('__Host-webauthn-challenge=v;')).toBe(true);
    expect(attributes(https).sort()).toEqual(['httponly', 'max-age=300', 'path=/', 'samesite=strict', 'secure']);
    expect(await setCookieLine((c) => clearChallengeCookie(c, 'https://id.example'))).toMatch(/^__Host-webauthn-challenge=; Max-Age=0;/);
    const read = (header: string, issuer: string) => readWith(header, (c) => readChallengeCookie(c, issuer));
    expect(await read('a=1; __Host-webauthn-challenge=v1.x ; b=2', 'https://id.example')).toBe('v1.x');
    expect(await read('webauthn-challenge=v1.x', 'https://id.example')).toBeNull();
    expect(await read('webauthn-challenge=', 'http://localhost:8787')).toBeNull();
  });
});
