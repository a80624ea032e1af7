// The refusal of an attempt made while a lockout counter makes it wait. What the
// person sees depends only on the method and the wait, never on which counter
// refused or whether it was a throttle or a lock: an unknown username, a person
// without a password and a real person get the same answer (OWASP ASVS V2.2.1,
// no account enumeration). `subject` and `locked` are for the audit log only.
import { AuthenticationError } from '../errors.ts';

/** `user_code`: wrong codes typed on the device verification page (RFC 8628 §5.1), counted per address. */
export type LockoutMethod = 'password' | 'passkey' | 'user_code';

export type SubjectKind = 'person' | 'pair' | 'address';

export interface AttemptSubject {
  kind: SubjectKind;
  id: string;
}

/** "15 s", "4 min": the wait as the page says it; Retry-After carries the same number. */
function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

function descriptionFor(method: LockoutMethod, seconds: number): string {
  if (method === 'password') return `too many attempts; try again in ${waitText(seconds)}, sign in with a passkey, or ask your service desk for help`;
  if (method === 'user_code') return `too many wrong codes from this network; try again in ${waitText(seconds)}`;
  return `too many failed passkey attempts from this network; try again in ${waitText(seconds)}`;
}

/** 429 with Retry-After for an attempt made while throttled or locked. */
export class TooManyAttempts extends AuthenticationError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly locked: boolean,
    readonly subject: AttemptSubject,
    readonly method: LockoutMethod,
  ) {
    super('too_many_attempts', descriptionFor(method, retryAfterSeconds), { 'Retry-After': String(retryAfterSeconds) });
  }

  /** The audit record's reason and the counter that refused. */
  get auditDetails(): { reason: 'locked' | 'throttled'; limit: SubjectKind } {
    return { reason: this.locked ? 'locked' : 'throttled', limit: this.subject.kind };
  }
}
