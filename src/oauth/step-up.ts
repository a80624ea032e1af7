// Contract §8 step-up: before asking a signed-in person to authenticate again
// for a stronger class, check that they hold an authenticator that can meet it;
// if not, the flow ends with unmet_authentication_requirements.
import { findTotp } from '../directory/credentials/totp.ts';
import type { Achieved, AcrClass } from '../assurance/acr.ts';
import { anyCanMeet } from '../assurance/acr.ts';
import { assuranceOf } from '../assurance/level.ts';
import type { Config } from '../config.ts';
import type { Database } from '../ports.ts';
import { livePasskeyFacts } from '../directory/credentials/webauthn.ts';
import { hasPassword } from '../directory/person-lookups.ts';

/** The best assurance each of the person's authenticators can give, as the sign-in page offers them. */
async function possibleAssurances(db: Database, config: Config, personId: string): Promise<Achieved[]> {
  const passkeys = await livePasskeyFacts(db, personId);
  // Sign-in requires user verification, so each passkey is judged as verified.
  const possible: Achieved[] = passkeys.map((p) => assuranceOf({ method: 'passkey', ...p, userVerified: true }, config));
  // Contract §8: a password with the person's app gives AAL2 (PWD, TOTP); without an app, AAL1 (PWD).
  // Someone who holds an app must use it, so the password alone is not among their options.
  if (await hasPassword(db, personId)) possible.push(assuranceOf({ method: (await findTotp(db, personId)) ? 'password_totp' : 'password' }, config));
  return possible;
}

export async function canMeet(db: Database, config: Config, personId: string, requested: readonly AcrClass[]): Promise<boolean> {
  return anyCanMeet(await possibleAssurances(db, config, personId), requested);
}
