// The assurance an authentication achieved, from the authenticator actually used
// (contract §8, NIST SP 800-63B §4): the level and the RFC 8176 / CIS2 `amr`.
import type { AuthenticationMethod } from '../ports.ts';
import { AMR_OF } from '../oauth/vocabulary.ts';

export type AuthenticatorUsed =
  | {
      method: 'passkey';
      /** WebAuthn §6.1.3 BE flag: 'multiDevice' credentials may be synced to other devices. */
      deviceType: 'singleDevice' | 'multiDevice';
      /** WebAuthn §6.1.3 BS flag: the credential is backed up now. */
      backedUp: boolean;
      /** WebAuthn §6.1 UV flag: a PIN or biometric unlocked the authenticator. */
      userVerified: boolean;
      aaguid: string;
      /** What verified FIDO metadata said of the model at registration; null when nothing was verified. */
      metadata?: MetadataFacts | null;
    }
  | { method: 'password' }
  | { method: 'password_totp' };

/** From a FIDO metadata statement (FIDO Metadata Statement 3.0 §4), kept with the credential. */
export interface MetadataFacts {
  /** keyProtection: 'software', 'hardware', 'tee', 'secure_element', 'remote_handle'. */
  keyProtection: string[];
  /** Every userVerificationMethod the statement lists ('fingerprint_internal', 'passcode_internal', ...). */
  userVerificationMethods: string[];
}

export interface AssurancePolicy {
  /** Lower-case AAGUIDs that may reach AAL3; null lets any device-bound authenticator. */
  aal3Aaguids: readonly string[] | null;
  /** Set when a FIDO MDS BLOB is configured: AAL3 then needs verified metadata. */
  fidoMetadata?: object | null;
}

/** Whether a passkey's level rests on verified FIDO metadata or on the authenticator's own flags. */
export type AssuranceBasis = 'fido_metadata' | 'self_asserted';

export interface Assurance {
  aal: 1 | 2 | 3;
  amr: string[];
  method: AuthenticationMethod;
}

export function assuranceOf(used: AuthenticatorUsed, policy: AssurancePolicy): Assurance {
  switch (used.method) {
    case 'password':
      return { aal: 1, amr: [...AMR_OF.password], method: 'password' };
    case 'password_totp':
      return { aal: 2, amr: [...AMR_OF.password_totp], method: 'password_totp' };
    case 'passkey':
      return { aal: passkeyLevel(used, policy), amr: [...AMR_OF.passkey], method: 'passkey' };
  }
}

function passkeyLevel(used: Extract<AuthenticatorUsed, { method: 'passkey' }>, policy: AssurancePolicy): 1 | 2 | 3 {
  // Without user verification a passkey is one factor: something you have.
  if (!used.userVerified) return 1;
  // A key that can be copied to other devices is not bound to one: AAL2 at most.
  const deviceBound = used.deviceType === 'singleDevice' && !used.backedUp;
  if (!deviceBound) return 2;
  if (policy.aal3Aaguids && !policy.aal3Aaguids.includes(used.aaguid.toLowerCase())) return 2;
  // NIST SP 800-63B §4.3.1: AAL3 needs a hardware-protected, non-exportable key. The model's
  // verified metadata says whether it has one; the BE/BS flags alone are the authenticator's own
  // word, which any software authenticator can give. With a BLOB configured, only metadata counts;
  // metadata once verified is never ignored, even after the BLOB is removed.
  if (used.metadata) return metadataAllowsAal3(used.metadata) ? 3 : 2;
  if (policy.fidoMetadata) return 2;
  return 3;
}

/** Hardware key protection (no software copy of the key) and a way to verify the user. */
export function metadataAllowsAal3(facts: MetadataFacts): boolean {
  const hardware = facts.keyProtection.includes('hardware') && !facts.keyProtection.includes('software');
  // FIDO Registry §3.1: presence_internal is user presence only; none is no verification.
  const verifiesUser = facts.userVerificationMethods.some((m) => m !== 'presence_internal' && m !== 'none');
  return hardware && verifiesUser;
}

export function assuranceBasisOf(used: Extract<AuthenticatorUsed, { method: 'passkey' }>): AssuranceBasis {
  return used.metadata ? 'fido_metadata' : 'self_asserted';
}
