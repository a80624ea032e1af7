// A FIDO Metadata Service of the tests' own, on Web Crypto only (Node and workerd):
// a BLOB-signing root and leaf, an authenticator vendor's attestation root and
// batch certificate (with the id-fido-gen-ce-aaguid extension), metadata statements
// naming that root, and the BLOB itself, a JWT with x5c (FIDO MDS 3.0 §3.1.7).
// @peculiar/x509 resolves its algorithms through tsyringe, which needs this polyfill first.
import 'reflect-metadata';
import {
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import type { MetadataBLOBPayloadEntry, MetadataStatement } from '@simplewebauthn/server';
import { base64url } from './encoding.ts';
import type { PackedAttestation } from './authenticator.ts';

const EC = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN = { name: 'ECDSA', hash: 'SHA-256' };
const HOUR = 3600_000;
// FIDO Metadata Statement §3.2 / WebAuthn §8.2.1: the attestation certificate's AAGUID extension.
const ID_FIDO_GEN_CE_AAGUID = '1.3.6.1.4.1.45724.1.1.4';

export interface CertifiedKey {
  keys: CryptoKeyPair;
  certificate: X509Certificate;
}

const newKeys = () => crypto.subtle.generateKey(EC, false, ['sign', 'verify']) as Promise<CryptoKeyPair>;
const validity = () => ({ notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 365 * 24 * HOUR) });

/** A self-signed CA certificate. */
export async function rootCertificate(name: string): Promise<CertifiedKey> {
  const keys = await newKeys();
  const certificate = await X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: SIGN,
    ...validity(),
    extensions: [new BasicConstraintsExtension(true, undefined, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)],
  });
  return { keys, certificate };
}

/** An end-entity certificate issued by `issuer`. */
export async function leafCertificate(issuer: CertifiedKey, subject: string, extensions: Extension[] = []): Promise<CertifiedKey> {
  const keys = await newKeys();
  const certificate = await X509CertificateGenerator.create({
    subject,
    issuer: issuer.certificate.subject,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: SIGN,
    ...validity(),
    extensions: [new BasicConstraintsExtension(false, undefined, true), ...extensions],
  });
  return { keys, certificate };
}

/** A vendor's batch attestation key for one model (WebAuthn §8.2.1 certificate requirements). */
export async function batchAttestation(vendorRoot: CertifiedKey, aaguid: string): Promise<PackedAttestation & { certified: CertifiedKey }> {
  const aaguidBytes = new Uint8Array(aaguid.replace(/-/g, '').match(/../g)!.map((h) => parseInt(h, 16)));
  // extnValue holds an OCTET STRING of the 16 AAGUID bytes.
  const extension = new Extension(ID_FIDO_GEN_CE_AAGUID, false, new Uint8Array([0x04, 0x10, ...aaguidBytes]));
  const certified = await leafCertificate(vendorRoot, 'C=GB, O=Test Authenticators Ltd, OU=Authenticator Attestation, CN=Test Key Batch 1', [extension]);
  return { certified, x5c: [der(certified.certificate)], privateKey: certified.keys.privateKey };
}

export const der = (certificate: X509Certificate) => new Uint8Array(certificate.rawData);
export const pem = (certificate: X509Certificate) => certificate.toString('pem');
const base64 = (certificate: X509Certificate) => certificate.toString('base64');

/** A FIDO2 metadata statement (FIDO Metadata Statement 3.0 §4) for one model. */
export function metadataStatement(input: {
  aaguid: string;
  roots: X509Certificate[];
  keyProtection?: string[];
  userVerificationMethods?: string[];
}): MetadataStatement {
  return {
    legalHeader: 'Test metadata, not for production',
    aaguid: input.aaguid,
    description: 'Test security key',
    authenticatorVersion: 1,
    protocolFamily: 'fido2',
    schema: 3,
    upv: [{ major: 1, minor: 1 }],
    authenticationAlgorithms: ['secp256r1_ecdsa_sha256_raw'],
    publicKeyAlgAndEncodings: ['cose'],
    attestationTypes: ['basic_full'],
    userVerificationDetails: (input.userVerificationMethods ?? ['passcode_internal', 'fingerprint_internal']).map((m) => [
      { userVerificationMethod: m },
    ]),
    keyProtection: input.keyProtection ?? ['hardware', 'secure_element'],
    matcherProtection: ['on_chip'],
    attachmentHint: ['external', 'wired'],
    tcDisplay: [],
    attestationRootCertificates: input.roots.map(base64),
  } as unknown as MetadataStatement;
}

export function metadataEntry(statement: MetadataStatement, statuses: string[] = ['FIDO_CERTIFIED_L2']): MetadataBLOBPayloadEntry {
  return {
    aaguid: statement.aaguid,
    metadataStatement: statement,
    statusReports: statuses.map((status) => ({ status, effectiveDate: '2025-01-01' })),
    timeOfLastStatusChange: '2025-01-01',
  } as MetadataBLOBPayloadEntry;
}

export interface MetadataService {
  root: CertifiedKey;
  signer: CertifiedKey;
}

/** The BLOB-signing PKI: a root (what FIDO_MDS_ROOT_CERT names) and the leaf that signs. */
export async function metadataService(): Promise<MetadataService> {
  const root = await rootCertificate('CN=Test FIDO MDS Root, O=Test, C=GB');
  const signer = await leafCertificate(root, 'CN=Test FIDO MDS BLOB Signer, O=Test, C=GB');
  return { root, signer };
}

/** A signed BLOB (ES256 JWT, x5c = [signer]) listing the entries. */
export async function signBlob(service: MetadataService, entries: MetadataBLOBPayloadEntry[], no = 1): Promise<string> {
  const nextUpdate = new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 10);
  const json = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const header = json({ alg: 'ES256', typ: 'JWT', x5c: [base64(service.signer.certificate)] });
  const payload = json({ legalHeader: 'Test metadata, not for production', no, nextUpdate, entries });
  const input = new TextEncoder().encode(`${header}.${payload}`);
  const signature = new Uint8Array(await crypto.subtle.sign(SIGN, service.signer.keys.privateKey, input));
  return `${header}.${payload}.${base64url(signature)}`;
}
