// The WebAuthn Relying Party this service is, derived from ISSUER: the RP ID is
// the issuer's host name and the only accepted origin is the issuer's origin
// (W3C WebAuthn §5.1.3 step 9, §7.1 steps 9 and 13).
import type { Config } from '../config.ts';

export const RP_NAME = 'Workforce identity';

// COSE algorithm ids (RFC 9053): EdDSA, ES256, RS256, in order of preference.
export const SUPPORTED_ALGORITHM_IDS = [-8, -7, -257];

/** How long a ceremony may take; the challenge lives as long (5 minutes). */
export const CEREMONY_TIMEOUT_SECONDS = 300;

export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingParty(config: Config): RelyingParty {
  const url = new URL(config.issuer);
  return { id: url.hostname, name: RP_NAME, origin: url.origin };
}

/**
 * The WebAuthn user handle of a person: stable (so an authenticator replaces
 * rather than duplicates a person's passkey) and opaque (§14.6.1: no personal
 * data), derived from the person's random id so nothing extra is stored.
 */
export async function userHandleOf(personId: string): Promise<Uint8Array<ArrayBuffer>> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`webauthn-user-handle:${personId}`));
  return new Uint8Array(digest);
}
