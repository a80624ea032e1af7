// Contract §8: which authenticator gives which level and amr.
import { describe, expect, it } from 'vitest';
import { assuranceBasisOf, assuranceOf, type AuthenticatorUsed } from '../../../src/assurance/level.ts';
import { readConfig } from '../../../src/config.ts';

const YUBIKEY = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
const OTHER_KEY = 'ee882879-721c-4913-9775-3dfcce97072a';
const anyModel = { aal3Aaguids: null };

const passkey = (over: Partial<Extract<AuthenticatorUsed, { method: 'passkey' }>> = {}): AuthenticatorUsed => ({
  method: 'passkey',
  deviceType: 'singleDevice',
  backedUp: false,
  userVerified: true,
  aaguid: YUBIKEY,
  ...over,
});

describe('assuranceOf (contract §8)', () => {
  it('gives AAL3 and FIDO2 to a device-bound passkey or security key with user verification', () => {
    expect(assuranceOf(passkey(), anyModel)).toEqual({ aal: 3, amr: ['FIDO2'], method: 'passkey' });
  });

  it('gives AAL2 and FIDO2 to a synced passkey with user verification (multiDevice, backed up)', () => {
    expect(assuranceOf(passkey({ deviceType: 'multiDevice', backedUp: true }), anyModel)).toEqual({ aal: 2, amr: ['FIDO2'], method: 'passkey' });
  });

  it('counts a backup-eligible passkey not yet backed up as synced: AAL2', () => {
    expect(assuranceOf(passkey({ deviceType: 'multiDevice', backedUp: false }), anyModel).aal).toBe(2);
  });

  it('counts a singleDevice credential that reports a backup as synced: AAL2', () => {
    expect(assuranceOf(passkey({ backedUp: true }), anyModel).aal).toBe(2);
  });

  it('gives AAL1 to a passkey used without user verification (one factor)', () => {
    expect(assuranceOf(passkey({ userVerified: false }), anyModel)).toEqual({ aal: 1, amr: ['FIDO2'], method: 'passkey' });
  });

  it('gives AAL2 and PWD+TOTP to a password with a TOTP code', () => {
    expect(assuranceOf({ method: 'password_totp' }, anyModel)).toEqual({ aal: 2, amr: ['PWD', 'TOTP'], method: 'password_totp' });
  });

  it('gives AAL1 and PWD to a password alone', () => {
    expect(assuranceOf({ method: 'password' }, anyModel)).toEqual({ aal: 1, amr: ['PWD'], method: 'password' });
  });

  describe('with an AAL3 allow-list of AAGUIDs', () => {
    const policy = { aal3Aaguids: [YUBIKEY] };

    it('keeps AAL3 for a listed device-bound model, whatever the case of its AAGUID', () => {
      expect(assuranceOf(passkey({ aaguid: YUBIKEY.toUpperCase() }), policy).aal).toBe(3);
    });

    it('lowers an unlisted device-bound key to AAL2', () => {
      expect(assuranceOf(passkey({ aaguid: OTHER_KEY }), policy)).toEqual({ aal: 2, amr: ['FIDO2'], method: 'passkey' });
    });

    it('leaves synced passkeys and passwords where they were', () => {
      expect(assuranceOf(passkey({ deviceType: 'multiDevice', backedUp: true }), policy).aal).toBe(2);
      expect(assuranceOf({ method: 'password' }, policy).aal).toBe(1);
    });
  });
});

describe('assuranceOf with FIDO metadata configured (contract §8, NIST SP 800-63B §4.3.1)', () => {
  const withBlob = { aal3Aaguids: null, fidoMetadata: { blob: 'https://mds.example.test/', rootCertificates: null } };
  const hardware = { keyProtection: ['hardware', 'secure_element'], userVerificationMethods: ['passcode_internal'] };
  const device = (metadata: Extract<AuthenticatorUsed, { method: 'passkey' }>['metadata']) =>
    passkey({ metadata }) as Extract<AuthenticatorUsed, { method: 'passkey' }>;

  it('gives AAL3 to a device-bound passkey whose verified metadata says hardware-bound with user verification', () => {
    expect(assuranceOf(device(hardware), withBlob)).toEqual({ aal: 3, amr: ['FIDO2'], method: 'passkey' });
    expect(assuranceBasisOf(device(hardware))).toBe('fido_metadata');
  });

  it('gives AAL2 to a device-bound passkey with no verified metadata: its flags are only its own word', () => {
    expect(assuranceOf(device(null), withBlob).aal).toBe(2);
    expect(assuranceOf(passkey(), withBlob).aal).toBe(2);
    expect(assuranceBasisOf(device(null))).toBe('self_asserted');
  });

  it('gives AAL2 when the metadata says the key is kept in software', () => {
    expect(assuranceOf(device({ ...hardware, keyProtection: ['software'] }), withBlob).aal).toBe(2);
    expect(assuranceOf(device({ ...hardware, keyProtection: ['hardware', 'software'] }), withBlob).aal).toBe(2);
  });

  it('gives AAL2 when the metadata lists no way to verify the user beyond presence', () => {
    expect(assuranceOf(device({ ...hardware, userVerificationMethods: ['presence_internal'] }), withBlob).aal).toBe(2);
    expect(assuranceOf(device({ ...hardware, userVerificationMethods: ['none'] }), withBlob).aal).toBe(2);
  });

  it('still needs the credential device-bound and the user verified', () => {
    expect(assuranceOf(passkey({ metadata: hardware, deviceType: 'multiDevice', backedUp: true }), withBlob).aal).toBe(2);
    expect(assuranceOf(passkey({ metadata: hardware, userVerified: false }), withBlob).aal).toBe(1);
  });

  it('without a BLOB, keeps the flags rule for credentials with no verified metadata, and calls it self-asserted', () => {
    expect(assuranceOf(passkey(), anyModel).aal).toBe(3);
    expect(assuranceBasisOf(device(null))).toBe('self_asserted');
  });

  it('without a BLOB, still honours metadata verified at registration: a software key stays AAL2', () => {
    expect(assuranceOf(device({ ...hardware, keyProtection: ['software'] }), anyModel).aal).toBe(2);
    expect(assuranceOf(device(hardware), anyModel).aal).toBe(3);
  });
});

describe('AAL3_AAGUIDS configuration', () => {
  const base = {
    ISSUER: 'https://id.example.nhs.uk',
    ADMIN_TOKEN: 'x'.repeat(32),
    KEY_ENCRYPTION_SECRET: 'A'.repeat(43),
    LIBSQL_URL: 'http://127.0.0.1:8080',
  };

  it('is off by default: any device-bound model may reach AAL3', () => {
    expect(readConfig(base).aal3Aaguids).toBeNull();
  });

  it('reads a comma-separated list, trimmed and lower-cased', () => {
    expect(readConfig({ ...base, AAL3_AAGUIDS: ` ${YUBIKEY.toUpperCase()} , ${OTHER_KEY}` }).aal3Aaguids).toEqual([YUBIKEY, OTHER_KEY]);
  });

  it('stops with a message naming the variable when a value is not an AAGUID', () => {
    expect(() => readConfig({ ...base, AAL3_AAGUIDS: `${YUBIKEY},yubikey` })).toThrow(/^AAL3_AAGUIDS: must be comma-separated AAGUIDs$/);
  });
});
