// Failed authentications per person and per address (issue 4 point 5): each
// failure is counted in both; past a threshold the next attempt must wait a
// doubling delay, and past a second one the subject is locked for a period
// (audited as person.locked / address.locked). A locked person cannot sign in,
// but sessions they already hold live on until they expire. Operators unlock
// people with POST /admin/users/{id}/unlock.
import { OAuthError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { consequenceOf, type LockoutPolicy } from './lockout-schedule.ts';

const FAILURES = 'auth-failures';
/** count 1: throttled; count 2: locked. Expires when the subject may try again. */
const BLOCKED = 'auth-blocked';
const LOCKED = 2;

export interface AttemptSubject {
  kind: 'person' | 'address';
  id: string;
}

export const personSubject = (id: string): AttemptSubject => ({ kind: 'person', id });
export const addressSubject = (id: string): AttemptSubject => ({ kind: 'address', id });

const scopeOf = (s: AttemptSubject) => `${s.kind}:${s.id}`;

/** 429 for an attempt made while throttled or locked; `locked` tells the two apart. */
export class TooManyAttempts extends OAuthError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly locked: boolean,
    readonly subject: AttemptSubject,
  ) {
    super(
      'too_many_attempts',
      locked
        ? `sign-in is locked after too many failed attempts; try again in ${Math.ceil(retryAfterSeconds / 60)} min or ask your service desk to unlock it`
        : `too many failed attempts; wait ${retryAfterSeconds} s before trying again`,
      429,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

/** What the check saw, so that a success clears only what needs clearing. */
export interface AttemptState {
  subject: AttemptSubject;
  failures: number;
}

function policyFor(ports: Ports, subject: AttemptSubject): LockoutPolicy {
  const { lockout } = ports.config;
  return { ...lockout[subject.kind], delaySeconds: lockout.delaySeconds, lockSeconds: lockout.lockSeconds };
}

/** Throws TooManyAttempts when `subject` must wait; otherwise answers its failures so far. */
export async function assertMayAttempt(ports: Ports, subject: AttemptSubject): Promise<AttemptState> {
  const now = ports.now();
  const counters = await ports.limits.read(scopeOf(subject), [FAILURES, BLOCKED], now);
  const blocked = counters[BLOCKED];
  if (blocked) throw new TooManyAttempts(Math.max(1, Math.ceil((blocked.resetAt - now) / 1000)), blocked.count >= LOCKED, subject);
  return { subject, failures: counters[FAILURES]?.count ?? 0 };
}

/** Counts a failure against `subject` and applies the schedule; audits a new lock. */
export async function recordFailedAttempt(ports: Ports, subject: AttemptSubject, requestId: string): Promise<void> {
  const now = ports.now();
  const { lockout } = ports.config;
  const scope = scopeOf(subject);
  const failures = await ports.limits.hit(scope, FAILURES, lockout.windowSeconds * 1000, now);
  const consequence = consequenceOf(failures.count, policyFor(ports, subject));
  if (consequence.kind === 'none') return;
  const until = now + consequence.seconds * 1000;
  await ports.limits.put(scope, BLOCKED, { count: consequence.kind === 'lock' ? LOCKED : 1, resetAt: until });
  if (consequence.kind !== 'lock') return;
  // After the lock the count starts again, so a person who waits gets the free attempts back.
  await ports.limits.remove(scope, [FAILURES]);
  await ports.audit.record({
    actor: 'system',
    action: `${subject.kind}.locked`,
    subject: subject.kind === 'person' ? subject.id : null,
    outcome: 'success',
    details: { failures: failures.count, until: new Date(until).toISOString(), ...(subject.kind === 'address' ? { address: subject.id } : {}) },
    requestId,
  });
}

/** A success forgets the person's failures (never an address's: one good sign-in must not hide many bad ones). */
export async function recordSuccessfulAttempt(ports: Ports, state: AttemptState): Promise<void> {
  if (state.subject.kind === 'person' && state.failures > 0) await ports.limits.remove(scopeOf(state.subject), [FAILURES]);
}

/** Lifts a lock or throttle and forgets the failures; answers whether the person was locked. */
export async function unlockPerson(ports: Ports, personId: string): Promise<boolean> {
  const scope = scopeOf(personSubject(personId));
  const before = await ports.limits.read(scope, [BLOCKED], ports.now());
  await ports.limits.remove(scope, [FAILURES, BLOCKED]);
  return (before[BLOCKED]?.count ?? 0) >= LOCKED;
}
