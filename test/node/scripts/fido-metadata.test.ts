// The local stack's start-up check of FIDO_MDS_BLOB (contract §8): a file path is
// read for the Worker, and a BLOB that does not verify stops the start with a
// message naming the variable, before any enrolment could meet it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { readFidoMdsBlobFile, verifyFidoMetadata } from '../../../scripts/fido-metadata.ts';
import { metadataService, pem, signBlob } from '../../support/webauthn/metadata.ts';

const service = await metadataService();
const blob = await signBlob(service, [], 4);
const dir = mkdtempSync(join(tmpdir(), 'fido-mds-'));
const ENV = {
  ISSUER: 'https://id.example.nhs.uk',
  ADMIN_TOKEN: 'x'.repeat(32),
  KEY_ENCRYPTION_SECRET: 'A'.repeat(43),
  LIBSQL_URL: 'http://127.0.0.1:8080',
  FIDO_MDS_ROOT_CERT: pem(service.root.certificate),
};

async function refusal(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('readFidoMdsBlobFile', () => {
  it('reads a BLOB file, and leaves the BLOB itself or a URL as they are', () => {
    const file = join(dir, 'blob.jwt');
    writeFileSync(file, `${blob}\n`);
    expect(readFidoMdsBlobFile(file)).toEqual({ file, text: blob });
    expect(readFidoMdsBlobFile(blob)).toBeNull();
    expect(readFidoMdsBlobFile('https://mds3.fidoalliance.org/')).toBeNull();
    expect(readFidoMdsBlobFile(undefined)).toBeNull();
  });

  it('names FIDO_MDS_BLOB when the value is no BLOB, URL or readable file', () => {
    expect(() => readFidoMdsBlobFile(join(dir, 'missing.jwt'))).toThrow(/^FIDO_MDS_BLOB: is not a BLOB, an https URL or a readable file \(ENOENT/);
  });
});

describe('verifyFidoMetadata (at npm start)', () => {
  it('accepts a BLOB signed under the configured root, and does nothing without one', async () => {
    await expect(verifyFidoMetadata({ ...ENV, FIDO_MDS_BLOB: blob })).resolves.toBeUndefined();
    await expect(verifyFidoMetadata({ ...ENV, FIDO_MDS_ROOT_CERT: undefined })).resolves.toBeUndefined();
  });

  it('stops the start on a BLOB whose signature does not verify, saying so', async () => {
    const [header, payload] = blob.split('.');
    const err = await refusal(verifyFidoMetadata({ ...ENV, FIDO_MDS_BLOB: `${header}.${payload}.${'A'.repeat(86)}` }));
    expect(err.message).toBe('FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB signature could not be verified');
  });

  it('stops the start on a BLOB signed under another root', async () => {
    const other = await signBlob(await metadataService(), [], 4);
    const err = await refusal(verifyFidoMetadata({ ...ENV, FIDO_MDS_BLOB: other }));
    expect(err.message).toMatch(/^FIDO_MDS_BLOB: the metadata BLOB was refused: BLOB certificate path could not be validated/);
  });
});
