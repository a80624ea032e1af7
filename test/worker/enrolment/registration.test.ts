// Contract §5: enrolling a passkey through the JSON API, end to end with the
// software authenticator.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enrolments } from '../../../schema/credentials.ts';
import { base64url } from '../../../src/secrets.ts';
import { userHandleOf } from '../../../src/webauthn/relying-party.ts';
import { SOFTWARE_AAGUID, SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, enrolPasskey, invite, postJson, registrationOptions, storedCredentialsOf } from '../../support/webauthn/enrolment.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { auditEventsFor, createUser } from '../../support/worker/scim.ts';

describe('POST /webauthn/registration/options (contract §5, WebAuthn §5.4)', () => {
  it('answers creation options for the invited person: RP from ISSUER, discoverable, UV required', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const res = await postJson('/webauthn/registration/options', { code });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const options = (await res.json()) as Record<string, any>;
    expect(options).toMatchObject({
      rp: { name: 'Workforce identity', id: 'localhost' },
      user: { id: base64url(await userHandleOf(person.id)), name: person.userName, displayName: 'Dr Ada Lovelace' },
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      pubKeyCredParams: [
        { alg: -8, type: 'public-key' },
        { alg: -7, type: 'public-key' },
        { alg: -257, type: 'public-key' },
      ],
      timeout: 300_000,
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required', requireResidentKey: true },
      extensions: { credProps: true },
    });
  });

  it('excludes the credentials the person already holds (§5.4.3)', async () => {
    const { person, credentialId } = await enrolPasskey();
    const { code } = await invite(person.id);
    const options = await registrationOptions(code);
    expect(options.excludeCredentials).toEqual([{ id: credentialId, type: 'public-key', transports: ['usb'] }]);
    // The user handle is stable per person, so an authenticator replaces rather than duplicates.
    const again = await registrationOptions((await invite(person.id)).code);
    expect(again.user.id).toBe(options.user.id);
  });

  it('gives a new challenge on every call', async () => {
    const { code } = await invite((await createUser()).id);
    const [a, b] = [await registrationOptions(code), await registrationOptions(code)];
    expect(a.challenge).not.toBe(b.challenge);
  });
});

describe('POST /webauthn/registration/verify (contract §5, WebAuthn §7.1)', () => {
  it('stores a device-bound credential, spends the code and audits the registration', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const options = await registrationOptions(code);
    const response = await new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN });
    const res = await postJson('/webauthn/registration/verify', { code, response });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verified: true, credentialId: response.id });

    expect(await storedCredentialsOf(person.id)).toEqual([
      {
        id: response.id,
        counter: 0,
        transports: ['usb'],
        aaguid: SOFTWARE_AAGUID,
        deviceType: 'singleDevice',
        backedUp: false,
        attestationFormat: 'none',
        // No FIDO_MDS_BLOB in this environment: nothing vouches for the model.
        assuranceBasis: 'self_asserted',
        keyProtection: null,
        userVerificationMethods: null,
        createdAt: expect.any(Number),
        lastUsedAt: null,
      },
    ]);
    const [invitation] = await testDatabase()
      .select({ spentAt: enrolments.spentAt })
      .from(enrolments)
      .where(and(eq(enrolments.personId, person.id)));
    expect(invitation?.spentAt).toEqual(expect.any(Number));
    const events = (await auditEventsFor(person.id)).filter((e) => e.action === 'credential.register');
    expect(events).toMatchObject([
      {
        outcome: 'success',
        details: { credentialId: response.id, aaguid: SOFTWARE_AAGUID, deviceType: 'singleDevice', backedUp: false, assuranceBasis: 'self_asserted' },
      },
    ]);
  });

  it('records a synced passkey as multiDevice and backed up', async () => {
    const { person } = await enrolPasskey({ create: { backedUp: true } });
    expect(await storedCredentialsOf(person.id)).toMatchObject([
      { deviceType: 'multiDevice', backedUp: true, transports: ['internal', 'hybrid'] },
    ]);
  });

  it('accepts a client that does not report credProps, since residentKey was required', async () => {
    const { person } = await enrolPasskey({ create: { residentKey: undefined } });
    expect(await storedCredentialsOf(person.id)).toHaveLength(1);
  });

  it('lets a person enrol a second authenticator from a new invitation', async () => {
    const { person } = await enrolPasskey();
    await enrolPasskey({ person, create: { backedUp: true } });
    expect((await storedCredentialsOf(person.id)).map((c) => c.deviceType).sort()).toEqual(['multiDevice', 'singleDevice']);
  });
});
