// Contract §8: the CIS2 assurance classes (acr values) and which authentication
// meets which. A class is a requirement a relying party asks for in `acr_values`
// (or an essential `acr` claim); the ID token's `acr` names the class that was met.
//
// AAL2_ANY and AAL2_OR_AAL3_ANY are the same requirement here: NIST SP 800-63B
// §4 lets a higher AAL satisfy a lower one, so refusing an AAL3 session for an
// AAL2_ANY request would only push people to weaker authenticators. CIS2 keeps
// both names; we accept both. The method classes (…_FIDO2, AAL2_TOTP) require
// that method as well as the level.
import { ACR_CLASSES, AMR_OF } from '../oauth/vocabulary.ts';
import type { Authentication } from '../ports.ts';

export type AcrClass = (typeof ACR_CLASSES)[number];

/** Strongest first; without a request, the first one met is the session's acr. */
export { ACR_CLASSES };

/** What a class looks at: the level and the RFC 8176 methods of an authentication. */
export type Achieved = Pick<Authentication, 'aal' | 'amr'>;

interface Requirement {
  aal: 1 | 2 | 3;
  /** amr values that must all be present, when the class names a method. */
  amr?: readonly string[];
}

const REQUIREMENTS: Record<AcrClass, Requirement> = {
  AAL3_ANY: { aal: 3 },
  AAL2_OR_AAL3_ANY: { aal: 2 },
  AAL2_ANY: { aal: 2 },
  AAL1_USERPASS: { aal: 1 },
  AAL3_FIDO2: { aal: 3, amr: AMR_OF.passkey },
  AAL2_FIDO2: { aal: 2, amr: AMR_OF.passkey },
  AAL2_TOTP: { aal: 2, amr: AMR_OF.password_totp },
};

export function isAcrClass(value: string): value is AcrClass {
  return (ACR_CLASSES as readonly string[]).includes(value);
}

export function meetsClass(achieved: Achieved, acr: AcrClass): boolean {
  const need = REQUIREMENTS[acr];
  return achieved.aal >= need.aal && (need.amr ?? []).every((m) => achieved.amr.includes(m));
}

/**
 * The acr to report: the first requested class met, in the request's order; with
 * none requested, the strongest class met. Null when classes were requested and
 * none is met (step-up, or unmet_authentication_requirements).
 */
export function acrFor(achieved: Achieved, requested: readonly AcrClass[]): AcrClass | null {
  const candidates = requested.length > 0 ? requested : ACR_CLASSES;
  return candidates.find((acr) => meetsClass(achieved, acr)) ?? null;
}

/** Whether any of these possible authentications could meet one of the requested classes. */
export function anyCanMeet(possible: readonly Achieved[], requested: readonly AcrClass[]): boolean {
  if (requested.length === 0) return possible.length > 0;
  return possible.some((a) => acrFor(a, requested) !== null);
}
