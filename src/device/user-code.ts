// User codes (RFC 8628 §6.1): 8 letters from a base-20 alphabet without vowels
// (so no word can be spelt) and without look-alikes of digits, shown as
// XXXX-XXXX. 20^8 ≈ 2.6 × 10^10 codes; with the per-address limits on the
// verification page (§5.1) guessing a live one is out of reach.

export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;

/** A fresh code, uniformly drawn (rejection sampling: 256 is not a multiple of 20). */
export function generateUserCode(): string {
  let code = '';
  while (code.length < USER_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 240 && code.length < USER_CODE_LENGTH) code += USER_CODE_ALPHABET[byte % 20];
    }
  }
  return code;
}

/** XXXX-XXXX, as the device shows it and the page echoes it. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The code a person typed, as stored (RFC 8628 §6.1: case-insensitive, dashes and
 * spaces ignored); null when it cannot be one. Only ASCII is accepted, checked
 * before the case is folded: a Unicode look-alike (Cyrillic В, fullwidth Ｂ, the
 * long s ſ that upper-cases to S) is refused, never mapped onto a real code.
 */
export function normaliseUserCode(input: string): string | null {
  if (input.length > 64 || !/^[\t\x20-\x7E]*$/.test(input)) return null;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const ch of code) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
