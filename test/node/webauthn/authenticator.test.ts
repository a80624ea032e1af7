// The software authenticator against @simplewebauthn/server itself: what it
// makes must verify exactly as a browser's response would.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from '../../support/webauthn/cbor.ts';
import { SOFTWARE_AAGUID, SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';

const origin = 'https://id.example.nhs.uk';
const rpID = 'id.example.nhs.uk';

async function register(authenticator: SoftwareAuthenticator, opts: { backedUp?: boolean; deviceBound?: boolean } = {}) {
  const options = await generateRegistrationOptions({
    rpName: 'Test',
    rpID,
    userName: 'ada',
    userID: new Uint8Array([1, 2, 3, 4]),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const response = await authenticator.createCredential(options, { origin, ...opts });
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: true,
  });
  return { options, response, verification };
}

describe('CBOR encoding (RFC 8949)', () => {
  it('encodes the appendix A examples it supports', () => {
    const hex = (v: Parameters<typeof encodeCbor>[0]) => Buffer.from(encodeCbor(v)).toString('hex');
    expect(hex(0)).toBe('00');
    expect(hex(23)).toBe('17');
    expect(hex(24)).toBe('1818');
    expect(hex(1000)).toBe('1903e8');
    expect(hex(1000000)).toBe('1a000f4240');
    expect(hex(-1)).toBe('20');
    expect(hex(-1000)).toBe('3903e7');
    expect(hex('IETF')).toBe('6449455446');
    expect(hex(new Uint8Array([1, 2, 3, 4]))).toBe('4401020304');
    expect(hex([1, [2, 3], [4, 5]])).toBe('8301820203820405');
    expect(hex(new Map([[1, 2], [3, 4]]))).toBe('a201020304');
    expect(hex(true)).toBe('f5');
  });
});

describe('SoftwareAuthenticator', () => {
  it('makes a registration response that verifies: fmt none, UV, device-bound by default (WebAuthn §7.1)', async () => {
    const { verification, response } = await register(new SoftwareAuthenticator());
    expect(verification.verified).toBe(true);
    expect(verification.registrationInfo).toMatchObject({
      fmt: 'none',
      aaguid: SOFTWARE_AAGUID,
      userVerified: true,
      credentialDeviceType: 'singleDevice',
      credentialBackedUp: false,
      credential: { id: response.id, counter: 0 },
    });
    expect(response.clientExtensionResults).toEqual({ credProps: { rk: true } });
  });

  it('marks a synced passkey with BE and BS (multiDevice, backed up)', async () => {
    const { verification } = await register(new SoftwareAuthenticator(), { backedUp: true });
    expect(verification.registrationInfo).toMatchObject({ credentialDeviceType: 'multiDevice', credentialBackedUp: true });
  });

  it('refuses a credential the options exclude, as an authenticator must (§6.3.2 step 3)', async () => {
    const authenticator = new SoftwareAuthenticator();
    const { response } = await register(authenticator);
    const options = await generateRegistrationOptions({ rpName: 'Test', rpID, userName: 'ada', excludeCredentials: [{ id: response.id }] });
    await expect(authenticator.createCredential(options, { origin })).rejects.toThrow(/InvalidStateError/);
  });

  it('makes assertions that verify with a rising counter and the user handle (§7.2)', async () => {
    const authenticator = new SoftwareAuthenticator();
    const { verification } = await register(authenticator);
    const credential = verification.registrationInfo!.credential;
    let counter = credential.counter;
    for (const expected of [1, 2]) {
      const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
      const assertion = await authenticator.getAssertion(options, { origin });
      expect(assertion.response.userHandle).toBe('AQIDBA');
      const result = await verifyAuthenticationResponse({
        response: assertion,
        expectedChallenge: options.challenge,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: { ...credential, counter },
        requireUserVerification: true,
      });
      expect(result.verified).toBe(true);
      expect(result.authenticationInfo.newCounter).toBe(expected);
      counter = result.authenticationInfo.newCounter;
    }
  });

  it('reports counter 0 every time for a synced passkey, as platform passkeys do', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator, { backedUp: true });
    const options = await generateAuthenticationOptions({ rpID });
    const first = await authenticator.getAssertion(options, { origin });
    const second = await authenticator.getAssertion(options, { origin });
    const counterOf = (a: typeof first) => Buffer.from(a.response.authenticatorData, 'base64url').readUInt32BE(33);
    expect([counterOf(first), counterOf(second)]).toEqual([0, 0]);
  });

  it('omits UV when told, so servers that require it refuse', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await generateRegistrationOptions({ rpName: 'Test', rpID, userName: 'ada' });
    const response = await authenticator.createCredential(options, { origin, userVerified: false });
    await expect(
      verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID }),
    ).rejects.toThrow(/User verification/);
  });

  it('has no credential to offer another relying party', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    const options = await generateAuthenticationOptions({ rpID: 'other.example' });
    await expect(authenticator.getAssertion(options, { origin: 'https://other.example' })).rejects.toThrow(/NotAllowedError/);
  });
});
