// Sign-in with a password, and a code from an authenticator app when the person
// has one (contract §8, docs/assurance.md): password + TOTP gives AAL2 with amr
// ["PWD","TOTP"], a password alone AAL1 with ["PWD"]. Someone who holds an app
// must use it: the password alone is then refused. Every failure looks the
// same to the person; `reason` is for the audit log and lockout only.
//
// One round trip reads the holder, their app and the person as the rest of the
// service sees them (carried in the session and grant, as a passkey sign-in
// does); the app's step is spent in the sign-in's own transaction
// (src/session/sign-in-write.ts), with its audit row.
import { assuranceOf } from '../assurance/level.ts';
import type { Config } from '../config.ts';
import { setPasswordHash, type PasswordHolder } from '../directory/password-holders.ts';
import { rememberPerson } from '../directory/person-cache.ts';
import type { Authentication, Database } from '../ports.ts';
import { statementOf, type SignInGate } from '../session/sign-in-write.ts';
import { checkTotp, spendTotpStep } from '../directory/credentials/totp.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

type PasswordFailure =
  | 'unknown_user'
  | 'no_password'
  | 'wrong_password'
  | 'inactive_person'
  | 'missing_code'
  | 'wrong_code'
  | 'code_replayed';

/**
 * Failures that count against the person's password method: a wrong password, or a
 * missing or wrong code after it (the code guards the same sign-in path). Not an unknown
 * username, a person without a password, nor a right password of an inactive person.
 */
export function failsPasswordMethod(reason: PasswordFailure): boolean {
  return reason === 'wrong_password' || reason === 'missing_code' || reason === 'wrong_code' || reason === 'code_replayed';
}

/** A refused password sign-in; the page answers it, saying the same whatever the reason. */
export class PasswordSignInError extends Error {
  constructor(
    readonly reason: PasswordFailure,
    readonly personId: string | null,
  ) {
    super(`password sign-in refused: ${reason}`);
  }
}

interface PasswordSignInInput {
  db: Database;
  config: Config;
  holder: PasswordHolder | null;
  password: string;
  /** The 6-digit code, when the person entered one. */
  code: string;
  now: number;
}

/**
 * Checks the password and the app's code; the code's step is not yet spent: the
 * caller sends `gate` in the sign-in's transaction (null for a password alone).
 */
export async function verifyPasswordSignIn(input: PasswordSignInInput): Promise<{ authentication: Authentication; gate: SignInGate | null }> {
  const { db, config, holder, now } = input;
  // The hash is computed whether or not the person exists, so timing does not tell.
  const check = await verifyPassword(input.password, holder?.passwordHash ?? null);
  if (!holder) throw new PasswordSignInError('unknown_user', null);
  const refuse = (reason: PasswordFailure) => new PasswordSignInError(reason, holder.id);
  if (!holder.passwordHash) throw refuse('no_password');
  if (!check.ok) throw refuse('wrong_password');
  if (!holder.active || !holder.person?.active) throw refuse('inactive_person');

  let gate: SignInGate | null = null;
  const { app } = holder;
  if (app) {
    const code = input.code.replace(/\s/g, '');
    if (code === '') throw refuse('missing_code');
    const totp = await checkTotp(config.keyEncryptionSecret, holder.id, app, code, now);
    if (totp.check !== 'accepted') throw refuse(totp.check);
    // RFC 6238 §5.2: two sign-ins racing with one code both pass the check; the update lets one through.
    gate = { statement: statementOf(spendTotpStep(db, holder.id, totp.step!)), refused: async () => refuse('code_replayed') };
  }
  if (check.needsRehash) {
    // The password is known now: bring its hash up to the current parameters.
    await setPasswordHash(db, holder.id, await hashPassword(input.password));
  }
  rememberPerson(db, holder.person, now, holder.generation);
  const assurance = assuranceOf({ method: app ? 'password_totp' : 'password' }, config);
  const authentication: Authentication = {
    personId: holder.id,
    authTime: Math.floor(now / 1000),
    amr: assurance.amr,
    aal: assurance.aal,
    method: assurance.method,
    person: { readAt: now, value: holder.person },
  };
  return { authentication, gate };
}
