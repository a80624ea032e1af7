// The passkey sign-in core (contract §6, §8; WebAuthn §7.2): verifyPasskeyAssertion
// against credentials enrolled through the public API.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { base64url } from '../../../src/secrets.ts';
import { passkeyAuthenticationOptions, PasskeyAssertionError, verifyPasskeyAssertion } from '../../../src/webauthn/authentication.ts';
import { SOFTWARE_AAGUID } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, enrolPasskey, storedCredentialsOf, type EnrolledPasskey } from '../../support/webauthn/enrolment.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { auditEventsFor, patchUser } from '../../support/worker/scim.ts';

const config = readConfig(env as unknown as Record<string, unknown>);
const db = testDatabase();
const audit = { events: [] as unknown[], record: async (e: unknown) => void audit.events.push(e) };

/** Options, an assertion from the enrolled authenticator, and its verification. */
async function signIn(enrolled: EnrolledPasskey, tweak: { signCount?: number; userVerified?: boolean; origin?: string } = {}, cfg = config) {
  const options = await passkeyAuthenticationOptions({ config: cfg });
  const response = await enrolled.authenticator.getAssertion(options, { origin: tweak.origin ?? ORIGIN, ...tweak });
  const now = Date.now();
  return { now, result: () => verifyPasskeyAssertion({ db, config: cfg, response, expectedChallenge: options.challenge, now, audit }) };
}

async function refusal(promise: Promise<unknown>): Promise<PasskeyAssertionError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PasskeyAssertionError);
  expect(err).toMatchObject({ error: 'authentication_failed', status: 400 });
  return err as PasskeyAssertionError;
}

describe('passkeyAuthenticationOptions (WebAuthn §5.5)', () => {
  it('asks for a discoverable credential with user verification, for the issuer host', async () => {
    const options = await passkeyAuthenticationOptions({ config });
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [], timeout: 300_000 });
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('uses a challenge it is given', async () => {
    const challenge = new Uint8Array(32).fill(7);
    expect((await passkeyAuthenticationOptions({ config, challenge })).challenge).toBe(base64url(challenge));
  });
});

describe('verifyPasskeyAssertion (WebAuthn §7.2)', () => {
  it('gives AAL3 and FIDO2 for a device-bound passkey, records the use and carries the person read with the credential', async () => {
    const enrolled = await enrolPasskey();
    const { now, result } = await signIn(enrolled);
    expect(await result()).toEqual({
      personId: enrolled.person.id,
      authTime: Math.floor(now / 1000),
      amr: ['FIDO2'],
      aal: 3,
      method: 'passkey',
      credentialId: enrolled.credentialId,
      aaguid: SOFTWARE_AAGUID,
      assuranceBasis: 'self_asserted',
      person: { readAt: now, value: expect.objectContaining({ id: enrolled.person.id, active: true }) },
    });
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ counter: 1, lastUsedAt: now }]);
  });

  it('gives AAL2 for a synced passkey, whose counter stays 0 use after use', async () => {
    const enrolled = await enrolPasskey({ create: { backedUp: true } });
    for (let i = 0; i < 2; i++) {
      const { result } = await signIn(enrolled);
      expect(await result()).toMatchObject({ aal: 2, amr: ['FIDO2'], method: 'passkey' });
    }
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ counter: 0, backedUp: true }]);
  });

  it('gives AAL2 to an unlisted device-bound model when AAL3_AAGUIDS is set', async () => {
    const enrolled = await enrolPasskey();
    const listed = { ...config, aal3Aaguids: ['cb69481e-8ff7-4039-93ec-0a2729a154a8'] };
    expect(await (await signIn(enrolled, {}, listed)).result()).toMatchObject({ aal: 2 });
    const withOurs = { ...config, aal3Aaguids: [SOFTWARE_AAGUID] };
    expect(await (await signIn(enrolled, {}, withOurs)).result()).toMatchObject({ aal: 3 });
  });

  it('refuses a counter that did not increase as a possible clone, audits it and keeps the counter (§6.1.1)', async () => {
    const enrolled = await enrolPasskey();
    await (await signIn(enrolled)).result();
    await (await signIn(enrolled)).result();
    const err = await refusal((await signIn(enrolled, { signCount: 2 })).result());
    expect(err).toMatchObject({ reason: 'counter_regression', personId: enrolled.person.id, credentialId: enrolled.credentialId });
    expect(audit.events).toContainEqual(
      expect.objectContaining({
        action: 'credential.clone_suspected',
        subject: enrolled.person.id,
        details: expect.objectContaining({ storedCounter: 2, presentedCounter: 2 }),
      }),
    );
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ counter: 2 }]);
  });

  it('refuses the older of two assertions verified out of order', async () => {
    const enrolled = await enrolPasskey();
    const older = await signIn(enrolled);
    const newer = await signIn(enrolled);
    await newer.result();
    expect((await refusal(older.result())).reason).toBe('counter_regression');
  });

  it('refuses an unknown credential', async () => {
    const enrolled = await enrolPasskey();
    const options = await passkeyAuthenticationOptions({ config });
    const response = await enrolled.authenticator.getAssertion(options, { origin: ORIGIN });
    response.id = response.rawId = 'AAAA';
    const err = await refusal(verifyPasskeyAssertion({ db, config, response, expectedChallenge: options.challenge, now: Date.now() }));
    expect(err).toMatchObject({ reason: 'unknown_credential', personId: null });
  });

  it('refuses a person who is not active', async () => {
    const enrolled = await enrolPasskey();
    await patchUser(enrolled.person.id, [{ op: 'replace', path: 'active', value: false }]);
    const err = await refusal((await signIn(enrolled)).result());
    expect(err).toMatchObject({ reason: 'inactive_person', personId: enrolled.person.id });
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ counter: 0, lastUsedAt: null }]);
  });

  it('refuses an assertion without user verification', async () => {
    const enrolled = await enrolPasskey();
    expect((await refusal((await signIn(enrolled, { userVerified: false })).result())).reason).toBe('verification_failed');
  });

  it('refuses an assertion made for another origin', async () => {
    const enrolled = await enrolPasskey();
    expect((await refusal((await signIn(enrolled, { origin: 'https://evil.example' })).result())).reason).toBe('verification_failed');
  });

  it('refuses an assertion that answers another challenge', async () => {
    const enrolled = await enrolPasskey();
    const options = await passkeyAuthenticationOptions({ config });
    const response = await enrolled.authenticator.getAssertion(options, { origin: ORIGIN });
    const other = await passkeyAuthenticationOptions({ config });
    const err = await refusal(verifyPasskeyAssertion({ db, config, response, expectedChallenge: other.challenge, now: Date.now() }));
    expect(err.reason).toBe('verification_failed');
  });

  it("refuses a user handle that is not the credential owner's", async () => {
    const enrolled = await enrolPasskey();
    const options = await passkeyAuthenticationOptions({ config });
    const response = await enrolled.authenticator.getAssertion(options, { origin: ORIGIN });
    response.response.userHandle = 'AQID';
    const err = await refusal(verifyPasskeyAssertion({ db, config, response, expectedChallenge: options.challenge, now: Date.now() }));
    expect(err.reason).toBe('user_handle_mismatch');
  });

  it('refuses a tampered signature', async () => {
    const enrolled = await enrolPasskey();
    const options = await passkeyAuthenticationOptions({ config });
    const response = await enrolled.authenticator.getAssertion(options, { origin: ORIGIN });
    response.response.signature = response.response.signature.slice(0, -4) + 'AAAA';
    const err = await refusal(verifyPasskeyAssertion({ db, config, response, expectedChallenge: options.challenge, now: Date.now() }));
    expect(err.reason).toBe('verification_failed');
    expect((await auditEventsFor(enrolled.person.id)).map((e) => e.action)).not.toContain('credential.clone_suspected');
  });
});
