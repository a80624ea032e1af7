// SCIM `password` (RFC 7643 §4.1.1: writeOnly, returned never): checked against
// the policy, hashed with PBKDF2 and stored in place of the text. A PUT or PATCH
// without it keeps the stored password, since a client that read the user could
// not have sent it back; PATCH `remove` of `password` removes it.
import { ScimError } from '../errors.ts';
import { hashPassword } from '../password/password-hash.ts';
import { passwordProblem } from '../password/password-policy.ts';
import { toPersonRecord, type PersonRecord } from './user-resource.ts';
import type { PatchOperation, UserInput } from './user-schema.ts';
import { CORE_USER } from './urns.ts';

export async function toPersonRecordWithPassword(input: UserInput): Promise<PersonRecord> {
  const record = toPersonRecord(input);
  if (input.password === undefined) return record;
  const problem = passwordProblem(input.password, input.userName);
  if (problem) throw new ScimError(400, problem, 'invalidValue');
  return { ...record, passwordHash: await hashPassword(input.password) };
}

/** Whether the operations remove the password (`remove` with path `password`). */
export function removesPassword(operations: PatchOperation[]): boolean {
  const paths = ['password', `${CORE_USER}:password`.toLowerCase()];
  return operations.some((op) => op.op === 'remove' && paths.includes(op.path?.toLowerCase() ?? ''));
}

/** What an audit event may say about a password change: whether, never what. */
export function passwordChange(record: PersonRecord): 'set' | 'removed' | null {
  if (record.passwordHash === undefined) return null;
  return record.passwordHash === null ? 'removed' : 'set';
}
