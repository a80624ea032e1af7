// AAL3 from verified FIDO metadata (contract §8; W3C WebAuthn §7.1 steps 22–23;
// FIDO MDS 3.0): enrolment and sign-in through the JSON APIs of a service configured
// with a BLOB and root the test generates, against one without a BLOB (SELF).
import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enrolments } from '../../../schema/credentials.ts';
import { readConfig } from '../../../src/config.ts';
import { createLogger, type Logger } from '../../../src/log.ts';
import { canMeet } from '../../../src/oauth/step-up.ts';
import { passkeySignIn } from '../../support/sign-in.ts';
import { SoftwareAuthenticator, type CreateOptions } from '../../support/webauthn/authenticator.ts';
import { enrolPasskey, invite, postJson, registrationOptions, storedCredentialsOf, ORIGIN } from '../../support/webauthn/enrolment.ts';
import { batchAttestation, metadataEntry, metadataService, metadataStatement, pem, rootCertificate, signBlob } from '../../support/webauthn/metadata.ts';
import { Browser, type Fetcher } from '../../support/worker/browser.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { auditEventsFor, createUser, type ScimUser } from '../../support/worker/scim.ts';
import { testApp } from '../../support/worker/test-app.ts';

const HARDWARE_MODEL = '0a1b2c3d-0000-4000-8000-0000000000a1';
const SOFTWARE_MODEL = '0a1b2c3d-0000-4000-8000-0000000000a2';
const UNLISTED_MODEL = '0a1b2c3d-0000-4000-8000-0000000000a3';

const config = readConfig(env as unknown as Record<string, unknown>);
const service = await metadataService();
const vendorRoot = await rootCertificate('CN=Test Authenticators Attestation Root, O=Test Authenticators Ltd, C=GB');
const blob = await signBlob(service, [
  metadataEntry(metadataStatement({ aaguid: HARDWARE_MODEL, roots: [vendorRoot.certificate] })),
  metadataEntry(metadataStatement({ aaguid: SOFTWARE_MODEL, roots: [vendorRoot.certificate], keyProtection: ['software'] })),
]);
const withMetadata = (blobText: string, log?: Logger) =>
  testApp({ config: { ...config, fidoMetadata: { blob: blobText, rootCertificates: [pem(service.root.certificate)] } }, ...(log ? { log } : {}) });
const app = withMetadata(blob);
const SELF_FETCH: Fetcher | undefined = undefined;

/** Enrols a device-bound passkey of `aaguid` with packed attestation from the vendor's batch key (or none). */
async function enrol(fetcher: Fetcher | undefined, aaguid: string, create: Partial<CreateOptions> = {}, person?: ScimUser) {
  const attestation = await batchAttestation(vendorRoot, aaguid);
  return enrolPasskey({ fetcher, person, create: { aaguid, attestation, ...create } });
}

/** Signs in with the passkey on `fetcher`'s service; answers the sign-in's audit details. */
async function signInLevel(fetcher: Fetcher | undefined, enrolled: Awaited<ReturnType<typeof enrol>>) {
  const res = await passkeySignIn(new Browser(fetcher), enrolled.authenticator);
  expect(res.status).toBe(200);
  const events = (await auditEventsFor(enrolled.person.id)).filter((e) => e.action === 'signin' && e.outcome === 'success');
  return events.at(-1)!.details as Record<string, unknown>;
}

describe('registration with FIDO_MDS_BLOB (WebAuthn §5.4.7, §7.1)', () => {
  it("asks for 'direct' attestation", async () => {
    const { code } = await invite((await createUser()).id);
    expect((await registrationOptions(code, app.fetch)).attestation).toBe('direct');
  });

  it('gives AAL3 to a device-bound passkey whose attestation chains to its model metadata saying hardware with user verification', async () => {
    const enrolled = await enrol(app.fetch, HARDWARE_MODEL);
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([
      {
        attestationFormat: 'packed',
        assuranceBasis: 'fido_metadata',
        keyProtection: ['hardware', 'secure_element'],
        userVerificationMethods: ['passcode_internal', 'fingerprint_internal'],
      },
    ]);
    expect(await signInLevel(app.fetch, enrolled)).toMatchObject({ method: 'passkey', level: 3, assuranceBasis: 'fido_metadata' });
  });

  it('gives AAL2 to the same kind of authenticator when the BLOB does not list its model', async () => {
    const enrolled = await enrol(app.fetch, UNLISTED_MODEL);
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ attestationFormat: 'packed', assuranceBasis: 'self_asserted', keyProtection: null }]);
    expect(await signInLevel(app.fetch, enrolled)).toMatchObject({ level: 2, assuranceBasis: 'self_asserted' });
  });

  it("gives AAL2 to a listed model that sends 'none' attestation: the claim is unproven", async () => {
    const enrolled = await enrolPasskey({ fetcher: app.fetch, create: { aaguid: HARDWARE_MODEL } });
    expect(await signInLevel(app.fetch, enrolled)).toMatchObject({ level: 2, assuranceBasis: 'self_asserted' });
  });

  it('gives AAL2 to a model whose verified metadata says its keys are kept in software', async () => {
    const enrolled = await enrol(app.fetch, SOFTWARE_MODEL);
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ assuranceBasis: 'fido_metadata', keyProtection: ['software'] }]);
    expect(await signInLevel(app.fetch, enrolled)).toMatchObject({ level: 2, assuranceBasis: 'fido_metadata' });
  });

  it('refuses, audits and does not spend the invitation for an attestation from another root claiming a listed model', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const impostor = await batchAttestation(await rootCertificate('CN=Impostor Root, O=Impostor, C=GB'), HARDWARE_MODEL);
    const options = await registrationOptions(code, app.fetch);
    const response = await new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN, aaguid: HARDWARE_MODEL, attestation: impostor });
    const res = await postJson('/webauthn/registration/verify', { code, response }, {}, app.fetch);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'registration_failed', error_description: "the attestation does not match this authenticator model's metadata" });
    expect(await storedCredentialsOf(person.id)).toEqual([]);
    const [invitation] = await testDatabase().select({ spentAt: enrolments.spentAt }).from(enrolments).where(eq(enrolments.personId, person.id));
    expect(invitation?.spentAt).toBeNull();
    const failure = (await auditEventsFor(person.id)).find((e) => e.action === 'credential.register' && e.outcome === 'failure');
    expect(failure?.details).toMatchObject({ reason: 'attestation_untrusted', aaguid: HARDWARE_MODEL });
  });

  it('refuses registration with 503 while the configured BLOB fails verification, never falling back to the flags', async () => {
    const [header, payload] = blob.split('.');
    const logged: string[] = [];
    const badSignature = withMetadata(`${header}.${payload}.${'A'.repeat(86)}`, createLogger((line) => logged.push(line)));
    const person = await createUser();
    const { code } = await invite(person.id);
    const options = await registrationOptions(code, badSignature.fetch);
    const response = await new SoftwareAuthenticator().createCredential(options, {
      origin: ORIGIN,
      aaguid: HARDWARE_MODEL,
      attestation: await batchAttestation(vendorRoot, HARDWARE_MODEL),
    });
    const res = await postJson('/webauthn/registration/verify', { code, response }, {}, badSignature.fetch);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(await storedCredentialsOf(person.id)).toEqual([]);
    const failure = (await auditEventsFor(person.id)).find((e) => e.action === 'credential.register' && e.outcome === 'failure');
    expect(failure?.details).toMatchObject({
      reason: 'metadata_unavailable',
      detail: 'FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB signature could not be verified',
    });
    // The operator hears of it in the log as well as in the audit.
    expect(logged.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: 'error', problem: 'FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB signature could not be verified' }),
    );
  });
});

describe('step-up with FIDO_MDS_BLOB (contract §8)', () => {
  it('offers AAL3 classes only to a person holding a passkey whose metadata was verified', async () => {
    const unproven = await enrolPasskey({ fetcher: app.fetch, create: { aaguid: HARDWARE_MODEL } });
    expect(await canMeet(testDatabase(), app.ports.config, unproven.person.id, ['AAL3_ANY'])).toBe(false);
    expect(await canMeet(testDatabase(), app.ports.config, unproven.person.id, ['AAL2_ANY'])).toBe(true);
    await enrol(app.fetch, HARDWARE_MODEL, {}, unproven.person);
    expect(await canMeet(testDatabase(), app.ports.config, unproven.person.id, ['AAL3_ANY'])).toBe(true);
  });
});

describe('without FIDO_MDS_BLOB (contract §8: the level is self-asserted)', () => {
  it("asks for 'none' attestation, gives a device-bound passkey AAL3 as before, and audits the level as self-asserted", async () => {
    const { code } = await invite((await createUser()).id);
    expect((await registrationOptions(code)).attestation).toBe('none');
    const enrolled = await enrol(SELF_FETCH, HARDWARE_MODEL);
    expect(await storedCredentialsOf(enrolled.person.id)).toMatchObject([{ assuranceBasis: 'self_asserted' }]);
    expect(await signInLevel(SELF_FETCH, enrolled)).toMatchObject({ method: 'passkey', level: 3, assuranceBasis: 'self_asserted' });
  });

  it('keeps honouring metadata verified at registration: a software-protected model stays AAL2', async () => {
    const enrolled = await enrol(app.fetch, SOFTWARE_MODEL);
    expect(await signInLevel(SELF_FETCH, enrolled)).toMatchObject({ level: 2, assuranceBasis: 'fido_metadata' });
  });
});
