// A WebAuthn challenge the browser holds while it has no session, so that
// offering passkeys in the username field's autofill (W3C WebAuthn §5.1.4.1,
// started on page load) stores nothing on the server. The cookie carries the
// challenge and its expiry under HMAC-SHA-256, with a key derived by HKDF-SHA256
// (RFC 5869) from KEY_ENCRYPTION_SECRET with its own `info`; the challenge is no
// secret (the options answer shows it), only its origin and age must be sure.
// W3C WebAuthn §13.4.3 wants each challenge used once: the verify spends it in
// the replay cache, on both entries, before it checks the assertion.
import type { Context } from 'hono';
import { clearCookie, readCookie, writeCookie, type ServiceCookie } from '../http/cookies.ts';
import { base64url, fromBase64url } from '../secrets.ts';
import { CHALLENGE_TTL_MS } from './session-store.ts';

const encoder = new TextEncoder();
const FORMAT = 'v1';
const INFO = encoder.encode('workforce-identity/webauthn-challenge-cookie/v1');
const CHALLENGE = /^[A-Za-z0-9_-]{16,128}$/;
const VALUE = /^v1\.[A-Za-z0-9_-]{16,128}\.[0-9]{1,15}\.[A-Za-z0-9_-]{43}$/;

const keys = new Map<string, Promise<CryptoKey>>();

function macKey(keyEncryptionSecret: string): Promise<CryptoKey> {
  let key = keys.get(keyEncryptionSecret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', new Uint8Array(fromBase64url(keyEncryptionSecret)), 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO };
      return crypto.subtle.deriveKey(params, ikm, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);
    })();
    keys.set(keyEncryptionSecret, key);
    key.catch(() => keys.delete(keyEncryptionSecret));
  }
  return key;
}

const signed = (challenge: string, expiresAt: number) => encoder.encode(`${FORMAT}.${challenge}.${expiresAt}`);

/** The cookie value `v1.<challenge>.<expiresAt ms>.<mac>`. */
export async function sealChallenge(keyEncryptionSecret: string, challenge: string, expiresAt: number): Promise<string> {
  if (!CHALLENGE.test(challenge)) throw new Error('a WebAuthn challenge is base64url');
  const mac = await crypto.subtle.sign('HMAC', await macKey(keyEncryptionSecret), signed(challenge, expiresAt));
  return `${FORMAT}.${challenge}.${expiresAt}.${base64url(new Uint8Array(mac))}`;
}

export type OpenedChallenge = { ok: true; challenge: string; expiresAt: number } | { ok: false; problem: 'invalid' | 'expired' };

/** The challenge a cookie value holds, if this service sealed it and it has not expired. */
export async function openChallenge(keyEncryptionSecret: string, value: string, now: number): Promise<OpenedChallenge> {
  if (!VALUE.test(value)) return { ok: false, problem: 'invalid' };
  const [, challenge, expiry, mac] = value.split('.') as [string, string, string, string];
  const expiresAt = Number(expiry);
  // crypto.subtle.verify compares the MAC in constant time.
  const genuine = await crypto.subtle.verify('HMAC', await macKey(keyEncryptionSecret), new Uint8Array(fromBase64url(mac)), signed(challenge, expiresAt));
  if (!genuine) return { ok: false, problem: 'invalid' };
  // An expiry further off than any this service sets is not one it set.
  if (expiresAt <= now || expiresAt > now + CHALLENGE_TTL_MS) return { ok: false, problem: 'expired' };
  return { ok: true, challenge, expiresAt };
}

// SameSite=Strict: only the sign-in page's own fetches carry it. __Host- on https (src/http/cookies.ts).
const CHALLENGE_COOKIE: ServiceCookie = { name: 'webauthn-challenge', sameSite: 'Strict' };

export function writeChallengeCookie(c: Context, issuer: string, value: string): void {
  writeCookie(c, issuer, CHALLENGE_COOKIE, value, CHALLENGE_TTL_MS / 1000);
}

export function clearChallengeCookie(c: Context, issuer: string): void {
  clearCookie(c, issuer, CHALLENGE_COOKIE);
}

/** The challenge cookie's value; null when absent or empty. */
export function readChallengeCookie(c: Context, issuer: string): string | null {
  return readCookie(c, issuer, CHALLENGE_COOKIE) || null;
}
