// The device grant inside the approving person's session record (RFC 8628 §3.4):
// its code is the device code's hash, redeemed once through redeemDeviceCode and
// never through the authorization code rule.
import { describe, expect, it } from 'vitest';
import { DEVICE_GRANT_REDIRECT } from '../../../src/oauth/grant-rules.ts';
import { grantInput, signedIn, T0 } from '../../support/session-records.ts';

const DEVICE_HASH = 'device-code-hash';

function approved() {
  const holder = signedIn();
  const issued = holder.run(
    { kind: 'issueCode', input: grantInput({ redirectUri: DEVICE_GRANT_REDIRECT, codeChallenge: '' }), codeHash: DEVICE_HASH, codeTtlMs: 600_000, sessionMaxAgeMs: 12 * 3600_000 },
    T0 + 1_000,
  )!;
  return { holder, grantNumber: Number(issued.grantId.split('-')[1]) };
}

const redeem = (grantNumber: number, overrides: Partial<{ codeHash: string; clientId: string }> = {}) => ({
  kind: 'redeemDeviceCode' as const,
  grantNumber,
  codeHash: DEVICE_HASH,
  clientId: 'client-1',
  accessTokenTtlMs: 600_000,
  refresh: { hash: 'refresh-1', ttlMs: 3600_000 },
  ...overrides,
});

describe('redeemDeviceCode (RFC 8628 §3.4)', () => {
  it('issues once, with the refresh token, for the right hash and client; a second redemption revokes the grant', () => {
    const { holder, grantNumber } = approved();
    expect(holder.run(redeem(grantNumber), T0 + 5_000)).toMatchObject({ ok: true, refreshExpiresAt: T0 + 5_000 + 3600_000 });
    expect(holder.run(redeem(grantNumber), T0 + 6_000)).toMatchObject({ ok: false, refusal: 'reused' });
    expect(holder.record!.grants[0]!.revoked).toMatchObject({ reason: 'code_reuse' });
  });

  it('refuses a wrong hash, another client and an expired device code, spending nothing', () => {
    const { holder, grantNumber } = approved();
    expect(holder.run(redeem(grantNumber, { codeHash: 'other' }), T0 + 5_000)).toMatchObject({ ok: false, refusal: 'unknown' });
    expect(holder.run(redeem(grantNumber, { clientId: 'client-2' }), T0 + 5_000)).toMatchObject({ ok: false, refusal: 'client_mismatch' });
    expect(holder.run(redeem(grantNumber), T0 + 1_000 + 600_000)).toMatchObject({ ok: false, refusal: 'expired' });
    expect(holder.record!.grants[0]!.code.spentAt).toBeNull();
  });

  it('is not reachable through the authorization code rule, even with the marker as redirect_uri', () => {
    const { holder } = approved();
    const result = holder.run(
      { kind: 'redeemCode', codeHash: DEVICE_HASH, clientId: 'client-1', redirectUri: DEVICE_GRANT_REDIRECT, verifierChallenge: '', accessTokenTtlMs: 600_000, refresh: null },
      T0 + 5_000,
    );
    expect(result).toMatchObject({ ok: false, refusal: 'unknown' });
    expect(holder.record!.grants[0]!.code.spentAt).toBeNull();
  });

  it('does not redeem a code-flow grant as a device grant', () => {
    const holder = signedIn();
    const issued = holder.run({ kind: 'issueCode', input: grantInput(), codeHash: DEVICE_HASH, codeTtlMs: 60_000, sessionMaxAgeMs: 12 * 3600_000 }, T0 + 1_000)!;
    expect(holder.run(redeem(Number(issued.grantId.split('-')[1])), T0 + 2_000)).toMatchObject({ ok: false, refusal: 'unknown' });
  });
});
