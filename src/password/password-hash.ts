// Password hashing with PBKDF2-HMAC-SHA256 on Web Crypto (RFC 8018 §5.2), the
// slow salted hash every Workers runtime has. Stored as
// `pbkdf2-sha256$<iterations>$<salt>$<hash>` (base64url parts) so that the
// parameters can be raised later: a hash below the current ones verifies and is
// replaced at the next successful sign-in. docs/assurance.md "Password hashing cost" has the
// measurements behind the parameters.
import { base64url, fromBase64url, timingSafeEqual } from '../secrets.ts';

const SCHEME = 'pbkdf2-sha256';
/** Cloudflare Workers refuse PBKDF2 above 100,000 iterations (workerd #1346), so this is the most a Worker can do. */
export const PBKDF2_ITERATIONS = 100_000;
const MAX_PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16; // NIST SP 800-132 §5.1: at least 128 bits
const HASH_BYTES = 32; // the output of SHA-256: longer output only costs the defender

const encoder = new TextEncoder();

interface ParsedHash {
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, bytes: number): Promise<Uint8Array<ArrayBuffer>> {
  // NIST SP 800-63B §5.1.1.2: normalise, so the same characters typed on another device still match.
  const key = await crypto.subtle.importKey('raw', encoder.encode(password.normalize('NFKC')), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, bytes * 8));
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations, HASH_BYTES);
  return `${SCHEME}$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

/** The parts of a stored hash; null when it is not one this service wrote (or asks for more work than allowed). */
export function parseHash(stored: string): ParsedHash | null {
  const [scheme, iterations, salt, hash, ...rest] = stored.split('$');
  if (scheme !== SCHEME || rest.length > 0 || !/^[1-9]\d{0,8}$/.test(iterations ?? '') || !salt || !hash) return null;
  const n = Number(iterations);
  // A tampered row must not make sign-in do unbounded work.
  if (n > MAX_PBKDF2_ITERATIONS) return null;
  try {
    const parsed = { iterations: n, salt: new Uint8Array(fromBase64url(salt)), hash: new Uint8Array(fromBase64url(hash)) };
    return parsed.salt.length >= SALT_BYTES && parsed.hash.length >= 16 ? parsed : null;
  } catch {
    return null;
  }
}

// Spent on unknown people and people without a password, so the answer takes as
// long whether or not the username exists.
const DUMMY_SALT = new Uint8Array(SALT_BYTES);

interface PasswordCheck {
  ok: boolean;
  /** The stored hash uses weaker parameters than new hashes: replace it now that the password is known. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string | null): Promise<PasswordCheck> {
  const parsed = stored ? parseHash(stored) : null;
  if (!parsed) {
    await derive(password, DUMMY_SALT, PBKDF2_ITERATIONS, HASH_BYTES);
    return { ok: false, needsRehash: false };
  }
  const derived = await derive(password, parsed.salt, parsed.iterations, parsed.hash.length);
  const ok = timingSafeEqual(derived, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations < PBKDF2_ITERATIONS };
}
