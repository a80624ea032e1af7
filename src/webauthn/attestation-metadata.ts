// What a registration's attestation proves about the authenticator's model, judged
// against the verified FIDO MDS BLOB (W3C WebAuthn §7.1 steps 22–23; FIDO MDS 3.0
// §3.1.8): the attestation certificate must chain to a root the model's metadata
// statement names, and the model must not be reported compromised.
import type { AuthenticatorStatus, MetadataStatement } from '@simplewebauthn/server';
import { convertCertBufferToPEM, decodeAttestationObject, validateCertificatePath } from '@simplewebauthn/server/helpers';
import type { MetadataFacts } from '../assurance/level.ts';
import type { FidoMetadataSource } from '../config.ts';
import { loadMetadataBlob, type MetadataBlob } from './metadata-blob.ts';

export type MetadataVerdict =
  /** The model is proven: its statement's facts decide whether the credential may reach AAL3. */
  | { basis: 'fido_metadata'; facts: MetadataFacts }
  /** Nothing proven (no attestation, or a model the BLOB does not list): AAL2 at most. */
  | { basis: 'self_asserted'; reason: 'no_attestation' | 'no_metadata' };

export type AttestationRefusal = 'attestation_untrusted' | 'authenticator_compromised' | 'metadata_unavailable';

/** An attestation that contradicts the metadata, or no metadata to judge by: the registration is refused. */
export class AttestationMetadataError extends Error {
  constructor(
    readonly reason: AttestationRefusal,
    readonly detail: string,
  ) {
    super(detail);
  }
}

// FIDO MDS 3.0 §3.1.4: statuses after which the model's keys or user verification cannot be trusted.
const COMPROMISED: ReadonlySet<AuthenticatorStatus> = new Set([
  'USER_VERIFICATION_BYPASS',
  'ATTESTATION_KEY_COMPROMISE',
  'USER_KEY_REMOTE_COMPROMISE',
  'USER_KEY_PHYSICAL_COMPROMISE',
  'REVOKED',
]);

/**
 * The configured BLOB's verdict on a registration. A BLOB that cannot be loaded
 * refuses the registration: falling back to the flags would quietly hand out AAL3.
 */
export async function attestationVerdict(
  source: FidoMetadataSource,
  now: number,
  registration: { aaguid: string; attestationObject: Uint8Array },
): Promise<MetadataVerdict> {
  let blob: MetadataBlob;
  try {
    blob = await loadMetadataBlob(source, now);
  } catch (err) {
    throw new AttestationMetadataError('metadata_unavailable', err instanceof Error ? err.message : String(err));
  }
  return judgeAttestation(blob, registration);
}

/**
 * Judges an attestation already verified by verifyRegistrationResponse (its
 * signature by the x5c leaf, and for `packed` the leaf's AAGUID extension).
 * Throws AttestationMetadataError when the registration must be refused.
 */
export async function judgeAttestation(
  blob: MetadataBlob,
  registration: { aaguid: string; attestationObject: Uint8Array },
): Promise<MetadataVerdict> {
  const entry = blob.entries.get(registration.aaguid.toLowerCase());
  if (entry) {
    const bad = entry.statusReports.find((report) => COMPROMISED.has(report.status));
    if (bad) throw new AttestationMetadataError('authenticator_compromised', `the metadata reports this model ${bad.status}`);
  }
  const x5c = decodeAttestationObject(registration.attestationObject as Uint8Array<ArrayBuffer>).get('attStmt').get('x5c');
  // 'none' and self attestation prove nothing about the model: the key could be anywhere.
  if (!x5c?.length) return { basis: 'self_asserted', reason: 'no_attestation' };
  const statement = entry?.metadataStatement;
  if (!statement) return { basis: 'self_asserted', reason: 'no_metadata' };
  await assertChainsToStatement(x5c, statement);
  return { basis: 'fido_metadata', facts: factsOf(statement) };
}

async function assertChainsToStatement(x5c: Uint8Array[], statement: MetadataStatement): Promise<void> {
  const chain = x5c.map((cert) => convertCertBufferToPEM(cert as Uint8Array<ArrayBuffer>));
  const roots = (statement.attestationRootCertificates ?? []).map((cert) => convertCertBufferToPEM(cert));
  // With no roots validateCertificatePath accepts anything: no roots, no proof.
  if (roots.length === 0) throw new AttestationMetadataError('attestation_untrusted', 'the metadata statement names no attestation root');
  // FIDO Metadata Statement 3.0 §4 attestationRootCertificates: a single x5c certificate that is
  // itself one of the roots is accepted as it stands (as verifyAttestationWithMetadata does).
  if (chain.length === 1 && roots.includes(chain[0]!)) return;
  try {
    await validateCertificatePath(chain, roots);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new AttestationMetadataError('attestation_untrusted', `the attestation certificate does not chain to this model's roots: ${message}`);
  }
}

function factsOf(statement: MetadataStatement): MetadataFacts {
  const methods = (statement.userVerificationDetails ?? []).flat().map((d) => d.userVerificationMethod);
  return { keyProtection: [...(statement.keyProtection ?? [])], userVerificationMethods: [...new Set(methods)] };
}
