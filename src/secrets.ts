// Random handles, SHA-256 digests and constant-time comparison, on Web Crypto only.
import { base64url as jose } from 'jose';

const encoder = new TextEncoder();

/** RFC 4648 §5 without padding (RFC 7515 §2), through jose. */
export function base64url(bytes: Uint8Array): string {
  return jose.encode(bytes);
}

/** Throws a TypeError on text that is not base64url. */
export function fromBase64url(text: string): Uint8Array {
  return jose.decode(text);
}

/** A high-entropy secret: 32 random bytes, base64url. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/** Compares two strings (as UTF-8) or byte arrays in time that depends only on their lengths, not their contents. */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? encoder.encode(a) : a;
  const y = typeof b === 'string' ? encoder.encode(b) : b;
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Hashes the presented secret and compares it with the stored hash in constant time. */
export async function secretMatchesHash(presented: string, storedHash: string): Promise<boolean> {
  return timingSafeEqual(await sha256(presented), storedHash);
}
