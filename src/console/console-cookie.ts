// The console's own cookies, sealed (AES-256-GCM under a key derived with
// HKDF-SHA256 from KEY_ENCRYPTION_SECRET, its own `info`, the cookie's name as
// additional data), so they work the same on Workers and on Deno with no store:
// - the console session: HttpOnly, SameSite=Strict (no cross-site request ever
//   carries it, so it never authorises a forged navigation), Secure on https;
// - the sign-in state (state, nonce, PKCE verifier) between /console/login and
//   /console/callback: SameSite=Lax, since the callback may arrive through a
//   redirect chain that began on another site; ten minutes.
// What a sealed cookie says is only a claim: the operator guard checks the
// directory and the grant behind it on every request (operator-guard.ts).
import { z } from 'zod';
import { base64url, fromBase64url } from '../secrets.ts';
import { CONSOLE } from '../paths.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const FORMAT = 'v1';
const INFO = encoder.encode('workforce-identity/console-cookie/v1');
const IV_BYTES = 12; // NIST SP 800-38D §8.2

const keys = new Map<string, Promise<CryptoKey>>();

function sealingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', new Uint8Array(fromBase64url(secret)), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO }, ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    })();
    keys.set(secret, key);
    key.catch(() => keys.delete(secret));
  }
  return key;
}

/** The console session as the cookie carries it; times in milliseconds since the epoch. */
export const consoleSessionSchema = z.object({
  personId: z.string().min(1),
  /** The grant the console's code redeemed: it lives while the single sign-on session does. */
  grantId: z.string().min(1),
  csrfToken: z.string().min(32),
  /** When the operator authenticated (auth_time, ms): bounds the session absolutely. */
  authTime: z.number(),
  /** The latest request: NIST SP 800-63B §4.3.3 inactivity at AAL3. */
  lastActiveAt: z.number(),
});
export type ConsoleSession = z.infer<typeof consoleSessionSchema>;

export const loginStateSchema = z.object({
  state: z.string().min(32),
  nonce: z.string().min(32),
  codeVerifier: z.string().min(43),
  /** A console path to return to after sign-in. */
  returnTo: z.string().startsWith(CONSOLE.mount),
  createdAt: z.number(),
});
export type LoginState = z.infer<typeof loginStateSchema>;

const isHttps = (issuer: string) => issuer.startsWith('https://');
// RFC 6265bis §4.1.3.2: __Host- needs Secure, Path=/ and no Domain, so only on https.
export const consoleCookieName = (issuer: string) => (isHttps(issuer) ? '__Host-console' : 'console');
export const loginCookieName = (issuer: string) => (isHttps(issuer) ? '__Host-console-login' : 'console-login');

export async function seal(secret: string, name: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(name) }, await sealingKey(secret), encoder.encode(JSON.stringify(value)));
  return `${FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The value sealed under `name`, if it opens and matches the schema; null otherwise. */
export async function unseal<S extends z.ZodType>(secret: string, name: string, sealed: string, schema: S): Promise<z.output<S> | null> {
  const [format, iv, ciphertext, ...rest] = sealed.split('.');
  if (format !== FORMAT || !iv || !ciphertext || rest.length > 0) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(fromBase64url(iv)), additionalData: encoder.encode(name) },
      await sealingKey(secret),
      new Uint8Array(fromBase64url(ciphertext)),
    );
    const parsed = schema.safeParse(JSON.parse(decoder.decode(plain)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The named cookie's value from a Cookie header, if it has a sealed value's shape. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const value = pair.slice(eq + 1).trim();
    return /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16,4000}$/.test(value) ? value : null;
  }
  return null;
}

export function cookieHeader(issuer: string, name: string, value: string, options: { sameSite: 'Strict' | 'Lax'; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', `SameSite=${options.sameSite}`];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (isHttps(issuer)) parts.push('Secure');
  return parts.join('; ');
}
