// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), with the
// parameters every authenticator app supports by default: HMAC-SHA-1, 6 digits,
// 30-second steps. Web Crypto only.
import { timingSafeEqual } from '../secrets.ts';

const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** RFC 6238 §5.2: accept one step either side for clock drift and typing time. */
export const TOTP_WINDOW = 1;
/** RFC 4226 §4 R6: at least 128 bits; 160 is what SHA-1 outputs and what apps expect. */
export const TOTP_SECRET_BYTES = 20;

/** RFC 6238 §4.2: the time step that `nowMs` falls in. */
export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** RFC 4226 §5.3: HOTP(K, C) = Truncate(HMAC-SHA-1(K, C)) mod 10^digits, zero-padded. */
export async function hotp(secret: Uint8Array<ArrayBuffer>, counter: number, digits = TOTP_DIGITS): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const message = new DataView(new ArrayBuffer(8));
  // The counter is 8 bytes big-endian; step numbers fit in 53 bits.
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The step whose code `code` is, within ±TOTP_WINDOW of now and after
 * `lastUsedStep` (RFC 6238 §5.2: a code is accepted once). Null when none.
 */
export async function matchingStep(secret: Uint8Array<ArrayBuffer>, code: string, nowMs: number, lastUsedStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const current = timeStep(nowMs);
  let matched: number | null = null;
  // Every candidate is computed and compared, so the time taken does not say which matched.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const fresh = lastUsedStep === null || step > lastUsedStep;
    if (timingSafeEqual(await hotp(secret, step), code) && fresh && matched === null) matched = step;
  }
  return matched;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 without padding, as otpauth URIs and authenticator apps take secrets. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}


/** The Key URI Format authenticator apps scan (Google Authenticator's otpauth://totp/…). */
export function otpauthUri(input: { secret: Uint8Array; issuer: string; account: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = new URLSearchParams({
    secret: base32(input.secret),
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}
