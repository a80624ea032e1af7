// FIDO metadata for AAL3 (contract §8; FIDO MDS 3.0 §3.1.7–3.1.8): the BLOB is
// verified against the configured root, and a packed attestation is judged against
// the model's metadata statement, with a PKI and BLOB generated here.
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { AttestationMetadataError, judgeAttestation } from '../../../src/webauthn/attestation-metadata.ts';
import { loadMetadataBlob, verifyMetadataBlob } from '../../../src/webauthn/metadata-blob.ts';
import { SoftwareAuthenticator, type CreateOptions } from '../../support/webauthn/authenticator.ts';
import {
  batchAttestation,
  metadataEntry,
  metadataService,
  metadataStatement,
  pem,
  rootCertificate,
  signBlob,
} from '../../support/webauthn/metadata.ts';

const origin = 'https://id.example.nhs.uk';
const rpID = 'id.example.nhs.uk';
const MODEL = '0a1b2c3d-0000-4000-8000-00000000b10b';

const service = await metadataService();
const vendorRoot = await rootCertificate('CN=Test Authenticators Attestation Root, O=Test Authenticators Ltd, C=GB');
const batch = await batchAttestation(vendorRoot, MODEL);
const roots = [pem(service.root.certificate)];

async function blobListing(statement = metadataStatement({ aaguid: MODEL, roots: [vendorRoot.certificate] }), statuses?: string[]) {
  return verifyMetadataBlob(await signBlob(service, [metadataEntry(statement, statuses)]), roots);
}

/** A registration verified by @simplewebauthn/server, as registration.ts has it before judging. */
async function registration(create: Partial<CreateOptions> = {}) {
  const options = await generateRegistrationOptions({
    rpName: 'Test',
    rpID,
    userName: 'ada',
    userID: new Uint8Array([1, 2, 3, 4]),
    attestationType: 'direct',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  const response = await new SoftwareAuthenticator().createCredential(options, { origin, aaguid: MODEL, attestation: batch, ...create });
  const verification = await verifyRegistrationResponse({ response, expectedChallenge: options.challenge, expectedOrigin: origin, expectedRPID: rpID });
  expect(verification.verified).toBe(true);
  return verification.registrationInfo!;
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('verifyMetadataBlob (FIDO MDS 3.0 §3.1.8)', () => {
  it('accepts a BLOB whose x5c chains to the configured root and indexes its entries by AAGUID', async () => {
    const blob = await blobListing();
    expect(blob.no).toBe(1);
    expect([...blob.entries.keys()]).toEqual([MODEL]);
    expect(blob.nextUpdate.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a BLOB whose payload was changed after signing, naming FIDO_MDS_BLOB', async () => {
    const jwt = await signBlob(service, [metadataEntry(metadataStatement({ aaguid: MODEL, roots: [vendorRoot.certificate] }))]);
    const [header, payload, signature] = jwt.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.entries[0].metadataStatement.keyProtection = ['hardware'];
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const err = await refusal(verifyMetadataBlob(tampered, roots));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB signature could not be verified');
  });

  it('refuses a BLOB signed under another root', async () => {
    const other = await metadataService();
    const jwt = await signBlob(other, [metadataEntry(metadataStatement({ aaguid: MODEL, roots: [vendorRoot.certificate] }))]);
    const err = await refusal(verifyMetadataBlob(jwt, roots));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB certificate path could not be validated/);
  });

  it('refuses text that is not a signed BLOB', async () => {
    const err = await refusal(verifyMetadataBlob('eyJhbGciOiJub25lIn0.e30.', roots));
    expect(err.message).toBe('FIDO_MDS_BLOB: the metadata BLOB was refused: not a signed BLOB with an x5c header');
  });

  it('refuses a BLOB from the FIDO Alliance roots when no root is configured, since the tests sign their own', async () => {
    const jwt = await signBlob(service, []);
    expect(await refusal(verifyMetadataBlob(jwt, null))).toBeInstanceOf(ConfigError);
  });
});

describe('loadMetadataBlob', () => {
  it('fetches a URL BLOB once and keeps it until its nextUpdate', async () => {
    const jwt = await signBlob(service, [metadataEntry(metadataStatement({ aaguid: MODEL, roots: [vendorRoot.certificate] }))], 7);
    let fetched = 0;
    const fetcher = (async () => {
      fetched += 1;
      return new Response(jwt);
    }) as unknown as typeof fetch;
    const source = { blob: `https://mds.example.test/${crypto.randomUUID()}`, rootCertificates: roots };
    expect((await loadMetadataBlob(source, Date.now(), fetcher)).no).toBe(7);
    expect((await loadMetadataBlob(source, Date.now(), fetcher)).no).toBe(7);
    expect(fetched).toBe(1);
  });

  it('after nextUpdate, takes a newer BLOB (higher no), ignores one that is not newer, and keeps the old one when the fetch fails', async () => {
    const served = [await signBlob(service, [], 5), await signBlob(service, [], 5), await signBlob(service, [], 6)];
    let next = 0;
    const fetcher = (async () => (next < served.length ? new Response(served[next++]) : new Response('down', { status: 503 }))) as unknown as typeof fetch;
    const source = { blob: `https://mds.example.test/${crypto.randomUUID()}`, rootCertificates: roots };
    const month = 31 * 24 * 3600_000;
    expect((await loadMetadataBlob(source, Date.now(), fetcher)).no).toBe(5);
    // FIDO MDS 3.0 §3.1.8: a BLOB whose no is not above the held one is ignored.
    expect((await loadMetadataBlob(source, Date.now() + month, fetcher)).no).toBe(5);
    // The failed or ignored refresh waits 15 minutes before the next try.
    expect((await loadMetadataBlob(source, Date.now() + month + 60_000, fetcher)).no).toBe(5);
    expect(next).toBe(2);
    expect((await loadMetadataBlob(source, Date.now() + month + 16 * 60_000, fetcher)).no).toBe(6);
    expect((await loadMetadataBlob(source, Date.now() + 2 * month + 16 * 60_000, fetcher)).no).toBe(6);
  });

  it('does not keep a failed first load, so the next call tries again', async () => {
    const source = { blob: `https://mds.example.test/${crypto.randomUUID()}`, rootCertificates: roots };
    const failing = (async () => new Response('down', { status: 502 })) as unknown as typeof fetch;
    const err = await refusal(loadMetadataBlob(source, Date.now(), failing));
    expect(err.message).toBe(`FIDO_MDS_BLOB: fetching ${source.blob} answered 502`);
    const jwt = await signBlob(service, [], 3);
    expect((await loadMetadataBlob(source, Date.now(), (async () => new Response(jwt)) as unknown as typeof fetch)).no).toBe(3);
  });
});

describe('judgeAttestation (WebAuthn §7.1 steps 22–23)', () => {
  it('proves a packed attestation chaining to the statement root and returns its key protection and user verification', async () => {
    expect(await judgeAttestation(await blobListing(), await registration())).toEqual({
      basis: 'fido_metadata',
      facts: { keyProtection: ['hardware', 'secure_element'], userVerificationMethods: ['passcode_internal', 'fingerprint_internal'] },
    });
  });

  it('refuses an attestation certificate from another vendor root claiming the listed AAGUID', async () => {
    const impostorRoot = await rootCertificate('CN=Impostor Root, O=Impostor, C=GB');
    const impostor = await batchAttestation(impostorRoot, MODEL);
    const err = await refusal(judgeAttestation(await blobListing(), await registration({ attestation: impostor })));
    expect(err).toBeInstanceOf(AttestationMetadataError);
    expect((err as AttestationMetadataError).reason).toBe('attestation_untrusted');
  });

  it("gives no proof for 'none' attestation, even from a listed AAGUID", async () => {
    const info = await registration({ attestation: undefined });
    expect(await judgeAttestation(await blobListing(), info)).toEqual({ basis: 'self_asserted', reason: 'no_attestation' });
  });

  it('gives no proof for a model the BLOB does not list', async () => {
    const other = metadataStatement({ aaguid: '99999999-0000-4000-8000-000000000000', roots: [vendorRoot.certificate] });
    expect(await judgeAttestation(await blobListing(other), await registration())).toEqual({ basis: 'self_asserted', reason: 'no_metadata' });
  });

  it('refuses a model the BLOB reports compromised (FIDO MDS 3.0 §3.1.4)', async () => {
    const blob = await blobListing(undefined, ['FIDO_CERTIFIED_L1', 'USER_VERIFICATION_BYPASS']);
    const err = await refusal(judgeAttestation(blob, await registration()));
    expect((err as AttestationMetadataError).reason).toBe('authenticator_compromised');
  });
});
