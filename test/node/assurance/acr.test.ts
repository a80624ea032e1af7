import { describe, expect, it } from 'vitest';
import { ACR_CLASSES, acrFor, anyCanMeet, isAcrClass, meetsClass, type Achieved, type AcrClass } from '../../../src/assurance/acr.ts';

// Contract §8: what each authenticator kind achieves.
const SESSIONS = {
  password: { aal: 1, amr: ['PWD'] },
  passwordTotp: { aal: 2, amr: ['PWD', 'TOTP'] },
  syncedPasskey: { aal: 2, amr: ['FIDO2'] },
  deviceBoundPasskey: { aal: 3, amr: ['FIDO2'] },
} as const satisfies Record<string, Achieved>;

type Kind = keyof typeof SESSIONS;

// Every class against every kind of session: true where the class is met.
const EXPECTED: Record<AcrClass, Record<Kind, boolean>> = {
  AAL3_ANY: { password: false, passwordTotp: false, syncedPasskey: false, deviceBoundPasskey: true },
  AAL2_OR_AAL3_ANY: { password: false, passwordTotp: true, syncedPasskey: true, deviceBoundPasskey: true },
  // A higher level satisfies a lower one (NIST SP 800-63B §4): AAL2_ANY is "at least AAL2".
  AAL2_ANY: { password: false, passwordTotp: true, syncedPasskey: true, deviceBoundPasskey: true },
  AAL1_USERPASS: { password: true, passwordTotp: true, syncedPasskey: true, deviceBoundPasskey: true },
  AAL3_FIDO2: { password: false, passwordTotp: false, syncedPasskey: false, deviceBoundPasskey: true },
  AAL2_FIDO2: { password: false, passwordTotp: false, syncedPasskey: true, deviceBoundPasskey: true },
  AAL2_TOTP: { password: false, passwordTotp: true, syncedPasskey: false, deviceBoundPasskey: false },
};

describe('acr classes (contract §8)', () => {
  it('knows exactly the seven CIS2 classes, strongest first', () => {
    expect(ACR_CLASSES).toEqual(['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL3_FIDO2', 'AAL2_FIDO2', 'AAL2_TOTP']);
    expect(isAcrClass('AAL2_ANY')).toBe(true);
    expect(isAcrClass('urn:mace:incommon:iap:silver')).toBe(false);
  });

  for (const acr of ACR_CLASSES) {
    for (const kind of Object.keys(SESSIONS) as Kind[]) {
      const met = EXPECTED[acr][kind];
      it(`${acr} is ${met ? '' : 'not '}met by a ${kind} session (aal ${SESSIONS[kind].aal}, amr ${SESSIONS[kind].amr.join('+')})`, () => {
        expect(meetsClass(SESSIONS[kind], acr)).toBe(met);
        expect(acrFor(SESSIONS[kind], [acr])).toBe(met ? acr : null);
      });
    }
  }
});

describe('the acr an ID token reports (contract §8)', () => {
  it('is the first requested class met, in the order of the request', () => {
    expect(acrFor(SESSIONS.deviceBoundPasskey, ['AAL2_TOTP', 'AAL2_FIDO2', 'AAL3_ANY'])).toBe('AAL2_FIDO2');
    expect(acrFor(SESSIONS.syncedPasskey, ['AAL3_ANY', 'AAL2_OR_AAL3_ANY'])).toBe('AAL2_OR_AAL3_ANY');
  });

  it('is null when classes were requested and none is met (step-up needed)', () => {
    expect(acrFor(SESSIONS.syncedPasskey, ['AAL3_ANY', 'AAL3_FIDO2'])).toBeNull();
    expect(acrFor(SESSIONS.password, ['AAL2_OR_AAL3_ANY'])).toBeNull();
  });

  it('is the strongest class the session meets when none was requested', () => {
    expect(acrFor(SESSIONS.deviceBoundPasskey, [])).toBe('AAL3_ANY');
    expect(acrFor(SESSIONS.syncedPasskey, [])).toBe('AAL2_OR_AAL3_ANY');
    expect(acrFor(SESSIONS.passwordTotp, [])).toBe('AAL2_OR_AAL3_ANY');
    expect(acrFor(SESSIONS.password, [])).toBe('AAL1_USERPASS');
  });
});

describe('whether a person can step up (contract §8)', () => {
  it('is true when one of their authenticators could meet a requested class', () => {
    expect(anyCanMeet([SESSIONS.syncedPasskey, SESSIONS.deviceBoundPasskey], ['AAL3_ANY'])).toBe(true);
  });

  it('is false when none could: only synced passkeys for AAL3, or no authenticator at all', () => {
    expect(anyCanMeet([SESSIONS.syncedPasskey, SESSIONS.syncedPasskey], ['AAL3_ANY', 'AAL3_FIDO2'])).toBe(false);
    expect(anyCanMeet([], ['AAL1_USERPASS'])).toBe(false);
    expect(anyCanMeet([], [])).toBe(false);
  });
});
