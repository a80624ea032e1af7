// A software WebAuthn authenticator and client in one, on Web Crypto only, so it
// runs inside workerd and in Node: ES256 keys per credential, attestation 'none'
// (or 'packed' full attestation with a certificate it is given), discoverable credentials. It answers the options JSON the server produces with
// the response JSON a browser would send (W3C WebAuthn §5.1, §6).
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { encodeCbor, type CborValue } from './cbor.ts';
import { base64url, concat, derSignature, fromBase64url, sha256 } from './encoding.ts';

// §6.1 authenticator data flags.
const UP = 0x01;
const UV = 0x04;
const BE = 0x08;
const BS = 0x10;
const AT = 0x40;

const ES256 = -7;

/** A made-up authenticator model, so tests can tell it apart from real AAGUIDs. */
export const SOFTWARE_AAGUID = '5eed0000-0000-4000-8000-00000000a0a0';

export interface SoftwareCredential {
  id: string;
  rpId: string;
  userHandle: string;
  keyPair: CryptoKeyPair;
  signCount: number;
  /** BE: may be synced to other devices ('multiDevice'). */
  backupEligible: boolean;
  /** BS: backed up now. */
  backedUp: boolean;
  /** Synced passkeys (Apple, Google) report 0 every time; device-bound keys count. */
  counts: boolean;
}

export interface CreateOptions {
  origin: string;
  /** A synced passkey: BE and BS set. */
  backedUp?: boolean;
  /** Default true unless backedUp; false sets BE (multiDevice) without BS. */
  deviceBound?: boolean;
  aaguid?: string;
  userVerified?: boolean;
  /** What the client reports in credProps.rk (default true; undefined omits credProps). */
  residentKey?: boolean | undefined;
  transports?: string[];
  /** Packed full attestation (WebAuthn §8.2): signed with this key, x5c = [certificate, ...chain]. */
  attestation?: PackedAttestation;
}

export interface PackedAttestation {
  /** DER attestation certificate, then any intermediates (never the root). */
  x5c: Uint8Array[];
  privateKey: CryptoKey;
}

export interface GetOptions {
  origin: string;
  /** Which stored credential to use; default the newest for the RP ID. */
  credentialId?: string;
  userVerified?: boolean;
  /** Force the signature counter reported (to simulate a clone). */
  signCount?: number;
}

export class SoftwareAuthenticator {
  readonly credentials = new Map<string, SoftwareCredential>();

  async createCredential(options: PublicKeyCredentialCreationOptionsJSON, opts: CreateOptions): Promise<RegistrationResponseJSON> {
    if (!options.pubKeyCredParams.some((p) => p.alg === ES256)) throw new Error('NotSupportedError: ES256 not offered');
    const rpId = options.rp.id ?? new URL(opts.origin).hostname;
    for (const excluded of options.excludeCredentials ?? []) {
      if (this.credentials.has(excluded.id)) throw new Error('InvalidStateError: credential excluded');
    }
    const backedUp = opts.backedUp ?? false;
    const deviceBound = backedUp ? false : (opts.deviceBound ?? true);
    const keyPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const rawId = crypto.getRandomValues(new Uint8Array(32));
    const credential: SoftwareCredential = {
      id: base64url(rawId),
      rpId,
      userHandle: options.user.id,
      keyPair,
      signCount: 0,
      backupEligible: !deviceBound,
      backedUp,
      counts: deviceBound,
    };
    const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', keyPair.publicKey));
    // RFC 9053 §7.1.1 EC2 key: kty 2, alg -7, crv 1 (P-256), x, y.
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, ES256],
        [-1, 1],
        [-2, publicKey.slice(1, 33)],
        [-3, publicKey.slice(33, 65)],
      ]),
    );
    const flags = this.flags(credential, opts.userVerified ?? true) | AT;
    const idLength = new Uint8Array([rawId.length >> 8, rawId.length & 0xff]);
    const authData = concat(
      await sha256(rpId),
      new Uint8Array([flags]),
      new Uint8Array(4),
      aaguidBytes(opts.aaguid ?? SOFTWARE_AAGUID),
      idLength,
      rawId,
      coseKey,
    );
    const clientDataJSON = clientData('webauthn.create', options.challenge, opts.origin);
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ['fmt', opts.attestation ? 'packed' : 'none'],
        ['attStmt', opts.attestation ? await packedStatement(opts.attestation, authData, clientDataJSON) : new Map()],
        ['authData', authData],
      ]),
    );
    this.credentials.set(credential.id, credential);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey));
    const rk = 'residentKey' in opts ? opts.residentKey : true;
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: deviceBound ? 'cross-platform' : 'platform',
      response: {
        clientDataJSON: base64url(clientDataJSON),
        attestationObject: base64url(attestationObject),
        authenticatorData: base64url(authData),
        transports: opts.transports ?? (deviceBound ? ['usb'] : ['internal', 'hybrid']),
        publicKeyAlgorithm: ES256,
        publicKey: base64url(spki),
      },
      clientExtensionResults: rk === undefined ? {} : { credProps: { rk } },
    };
  }

  async getAssertion(options: PublicKeyCredentialRequestOptionsJSON, opts: GetOptions): Promise<AuthenticationResponseJSON> {
    const rpId = options.rpId ?? new URL(opts.origin).hostname;
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    const candidates = [...this.credentials.values()].filter(
      (c) => c.rpId === rpId && (allowed.length === 0 || allowed.includes(c.id)) && (!opts.credentialId || c.id === opts.credentialId),
    );
    const credential = candidates.at(-1);
    if (!credential) throw new Error('NotAllowedError: no credential for this relying party');
    if (credential.counts) credential.signCount += 1;
    const count = opts.signCount ?? credential.signCount;
    const authData = concat(
      await sha256(rpId),
      new Uint8Array([this.flags(credential, opts.userVerified ?? true)]),
      new Uint8Array([(count >>> 24) & 0xff, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff]),
    );
    const clientDataJSON = clientData('webauthn.get', options.challenge, opts.origin);
    // §6.3.3: the signature covers authenticatorData || SHA-256(clientDataJSON), DER-encoded for ECDSA.
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.keyPair.privateKey, signed));
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: credential.backupEligible ? 'platform' : 'cross-platform',
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authData),
        signature: base64url(derSignature(raw)),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
    };
  }

  private flags(credential: SoftwareCredential, userVerified: boolean): number {
    return UP | (userVerified ? UV : 0) | (credential.backupEligible ? BE : 0) | (credential.backedUp ? BS : 0);
  }
}

/** §8.2 packed attestation statement: alg, sig over authenticatorData || SHA-256(clientDataJSON), x5c. */
async function packedStatement(attestation: PackedAttestation, authData: Uint8Array, clientDataJSON: Uint8Array<ArrayBuffer>): Promise<Map<string, CborValue>> {
  const signed = concat(authData, await sha256(clientDataJSON));
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, attestation.privateKey, signed));
  return new Map<string, CborValue>([
    ['alg', ES256],
    ['sig', derSignature(raw)],
    ['x5c', attestation.x5c],
  ]);
}

/** §5.8.1 CollectedClientData, serialised as a browser does. */
function clientData(type: string, challenge: string, origin: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function aaguidBytes(aaguid: string): Uint8Array<ArrayBuffer> {
  const hex = aaguid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`bad AAGUID ${aaguid}`);
  return new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

export { base64url, fromBase64url };
