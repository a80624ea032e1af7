// The Relying Party derived from ISSUER (WebAuthn §5.1.3, §7.1), and how
// verifier errors are described.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.ts';
import { relyingParty, userHandleOf } from '../../../src/webauthn/relying-party.ts';
import { describeVerificationFailure } from '../../../src/webauthn/verification-failure.ts';

const withIssuer = (issuer: string) => ({ issuer }) as Config;

describe('relyingParty', () => {
  it('takes the RP ID from the issuer host and the origin from its scheme, host and port', () => {
    expect(relyingParty(withIssuer('https://id.example.nhs.uk'))).toEqual({ id: 'id.example.nhs.uk', name: 'Workforce identity', origin: 'https://id.example.nhs.uk' });
    expect(relyingParty(withIssuer('http://localhost:8787'))).toMatchObject({ id: 'localhost', origin: 'http://localhost:8787' });
    expect(relyingParty(withIssuer('https://id.example.nhs.uk:8443/tenant'))).toMatchObject({ id: 'id.example.nhs.uk', origin: 'https://id.example.nhs.uk:8443' });
  });
});

describe('userHandleOf', () => {
  it('is stable per person, 32 bytes, and differs between people', async () => {
    const a = await userHandleOf('person-a');
    expect(a).toHaveLength(32);
    expect(await userHandleOf('person-a')).toEqual(a);
    expect(await userHandleOf('person-b')).not.toEqual(a);
  });
});

describe('describeVerificationFailure', () => {
  const cases: [string, string][] = [
    ['Unexpected registration response challenge "abc", expected "def"', 'challenge'],
    ['Unexpected authentication response origin "https://origin.evil", expected "x"', 'origin'],
    ['Unexpected RP ID hash', 'rp_id'],
    ['User verification was required, but user could not be verified', 'user_verification'],
    ['User verification required, but user could not be verified', 'user_verification'],
    ['User not present during authentication', 'user_presence'],
    ['Unexpected public key alg "-999", expected one of "-8, -7, -257"', 'algorithm'],
    ['No data', 'malformed'],
  ];
  for (const [message, reason] of cases) {
    it(`reads "${message.slice(0, 40)}…" as ${reason}`, () => {
      const failure = describeVerificationFailure(new Error(message));
      expect(failure.reason).toBe(reason);
      expect(failure.detail).toBe(message);
      expect(failure.description).not.toContain('"');
    });
  }
});
