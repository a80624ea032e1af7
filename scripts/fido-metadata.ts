// FIDO_MDS_BLOB for the local stack: a file path is read here, since the Worker
// cannot read files, and the BLOB is verified before anything starts, so a bad
// one stops `npm start` with a message instead of refusing enrolments later.
import { readFileSync } from 'node:fs';
import { isBlobOrUrl, readConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { loadMetadataBlob } from '../src/webauthn/metadata-blob.ts';

/** The BLOB's text when FIDO_MDS_BLOB names a file; null when it is the BLOB or a URL (or unset). */
export function readFidoMdsBlobFile(value: string | undefined): { file: string; text: string } | null {
  if (!value || isBlobOrUrl(value)) return null;
  try {
    return { file: value, text: readFileSync(value, 'utf8').trim() };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError('FIDO_MDS_BLOB', `is not a BLOB, an https URL or a readable file (${why})`);
  }
}

/** Verifies the configured BLOB (fetching it when it is a URL); throws ConfigError naming FIDO_MDS_BLOB. */
export async function verifyFidoMetadata(vars: Record<string, string | undefined>): Promise<void> {
  const source = readConfig(vars).fidoMetadata;
  if (source) await loadMetadataBlob(source, Date.now());
}
