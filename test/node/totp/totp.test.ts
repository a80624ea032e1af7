import { describe, expect, it } from 'vitest';
import { base32, hotp, matchingStep, otpauthUri, timeStep } from '../../../src/totp/totp.ts';
import { fromBase32 } from '../../support/base32.ts';

const totpAt = (secret: Uint8Array<ArrayBuffer>, nowMs: number, digits = 6) => hotp(secret, timeStep(nowMs), digits);

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = new Uint8Array(new TextEncoder().encode('12345678901234567890'));

describe('TOTP (RFC 6238) over HOTP (RFC 4226)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 Appendix B SHA-1 vector at T = %i s (8 digits, and 6 as apps show)', async (seconds, expected) => {
    expect(await totpAt(SEED, seconds * 1000, 8)).toBe(expected);
    expect(await totpAt(SEED, seconds * 1000)).toBe(expected.slice(2));
  });

  it('matches the RFC 4226 Appendix D HOTP values for counters 0–3', async () => {
    const codes = await Promise.all([0, 1, 2, 3].map((c) => hotp(SEED, c)));
    expect(codes).toEqual(['755224', '287082', '359152', '969429']);
  });

  it('accepts the current step and one either side, and nothing further (RFC 6238 §5.2)', async () => {
    const now = 1_700_000_000_000;
    const step = timeStep(now);
    for (const offset of [-1, 0, 1]) {
      expect(await matchingStep(SEED, await hotp(SEED, step + offset), now, null)).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      expect(await matchingStep(SEED, await hotp(SEED, step + offset), now, null)).toBeNull();
    }
  });

  it('refuses a code whose step is not after the last one used (no replay)', async () => {
    const now = 1_700_000_000_000;
    const step = timeStep(now);
    const code = await hotp(SEED, step);
    expect(await matchingStep(SEED, code, now, step)).toBeNull();
    expect(await matchingStep(SEED, code, now, step - 1)).toBe(step);
    expect(await matchingStep(SEED, await hotp(SEED, step + 1), now, step)).toBe(step + 1);
  });

  it.each(['', '12345', '1234567', 'abcdef', '12 345'])('refuses %j, which is not six digits', async (code) => {
    expect(await matchingStep(SEED, code, Date.now(), null)).toBeNull();
  });

  it('encodes secrets in base32 both ways (RFC 4648 §10 vectors)', () => {
    expect(base32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    expect(base32(new TextEncoder().encode('fo'))).toBe('MZXQ');
    expect(new TextDecoder().decode(fromBase32('mzxw 6ytb oi'))).toBe('foobar');
    expect(base32(SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('builds the otpauth URI authenticator apps scan', () => {
    const uri = otpauthUri({ secret: SEED, issuer: 'Workforce identity', account: 'ada.lovelace' });
    expect(uri).toBe(
      'otpauth://totp/Workforce%20identity:ada.lovelace?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Workforce%20identity&algorithm=SHA1&digits=6&period=30',
    );
  });
});
