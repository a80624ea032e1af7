// Sign-in with a password, and a code from an authenticator app when the person
// has one (contract §8, docs/assurance.md): password + TOTP gives AAL2 with amr
// ["PWD","TOTP"], a password alone AAL1 with ["PWD"]. Someone who holds an app
// must use it: the password alone is then refused. Every failure looks the
// same to the person; `reason` is for the audit log and lockout only.
import { eq, sql } from 'drizzle-orm';
import { people } from '../../schema/people.ts';
import { assuranceOf } from '../assurance/level.ts';
import type { Config } from '../config.ts';
import { OAuthError } from '../errors.ts';
import type { Authentication, Database } from '../ports.ts';
import { findTotp, verifyTotp } from '../totp/totp-store.ts';
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

export class PasswordSignInError extends OAuthError {
  constructor(
    readonly reason: PasswordFailure,
    readonly personId: string | null,
  ) {
    super('authentication_failed', 'the username, password or code is not right', 401);
  }
}

export interface PasswordHolder {
  id: string;
  active: boolean;
  passwordHash: string | null;
}

/** userName is caseExact=false (RFC 7643 §4.1.1), so the lookup ignores case too. */
export async function findPasswordHolder(db: Database, userName: string): Promise<PasswordHolder | null> {
  const [row] = await db
    .select({ id: people.id, active: people.active, passwordHash: people.passwordHash })
    .from(people)
    .where(sql`lower(${people.userName}) = lower(${userName.trim()})`)
    .limit(1);
  return row ?? null;
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

export async function verifyPasswordSignIn(input: PasswordSignInInput): Promise<Authentication> {
  const { db, config, holder, now } = input;
  // The hash is computed whether or not the person exists, so timing does not tell.
  const check = await verifyPassword(input.password, holder?.passwordHash ?? null);
  if (!holder) throw new PasswordSignInError('unknown_user', null);
  const refuse = (reason: PasswordFailure) => new PasswordSignInError(reason, holder.id);
  if (!holder.passwordHash) throw refuse('no_password');
  if (!check.ok) throw refuse('wrong_password');
  if (!holder.active) throw refuse('inactive_person');

  const app = await findTotp(db, holder.id);
  if (app) {
    const code = input.code.replace(/\s/g, '');
    if (code === '') throw refuse('missing_code');
    const result = await verifyTotp({ db, keySecret: config.keyEncryptionSecret }, holder.id, code, now);
    if (result !== 'accepted') throw refuse(result);
  }
  if (check.needsRehash) {
    // The password is known now: bring its hash up to the current parameters.
    await db.update(people).set({ passwordHash: await hashPassword(input.password) }).where(eq(people.id, holder.id));
  }
  const assurance = assuranceOf({ method: app ? 'password_totp' : 'password' }, config);
  return { personId: holder.id, authTime: Math.floor(now / 1000), amr: assurance.amr, aal: assurance.aal, method: assurance.method };
}
