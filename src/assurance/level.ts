// The assurance an authentication achieved, from the authenticator actually used
// (contract §8, NIST SP 800-63B §4): the level and the RFC 8176 / CIS2 `amr`.
import type { AuthenticationMethod } from '../ports.ts';

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
    }
  | { method: 'password' }
  | { method: 'password_totp' };

interface AssurancePolicy {
  /** Lower-case AAGUIDs that may reach AAL3; null lets any device-bound authenticator. */
  aal3Aaguids: readonly string[] | null;
}

export interface Assurance {
  aal: 1 | 2 | 3;
  amr: string[];
  method: AuthenticationMethod;
}

export function assuranceOf(used: AuthenticatorUsed, policy: AssurancePolicy): Assurance {
  switch (used.method) {
    case 'password':
      return { aal: 1, amr: ['PWD'], method: 'password' };
    case 'password_totp':
      return { aal: 2, amr: ['PWD', 'TOTP'], method: 'password_totp' };
    case 'passkey':
      return { aal: passkeyLevel(used, policy), amr: ['FIDO2'], method: 'passkey' };
  }
}

function passkeyLevel(used: Extract<AuthenticatorUsed, { method: 'passkey' }>, policy: AssurancePolicy): 1 | 2 | 3 {
  // Without user verification a passkey is one factor: something you have.
  if (!used.userVerified) return 1;
  // A key that can be copied to other devices is not bound to one: AAL2 at most.
  const deviceBound = used.deviceType === 'singleDevice' && !used.backedUp;
  if (!deviceBound) return 2;
  if (policy.aal3Aaguids && !policy.aal3Aaguids.includes(used.aaguid.toLowerCase())) return 2;
  return 3;
}
