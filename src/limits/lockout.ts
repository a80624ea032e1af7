// Failed authentications (NIST SP 800-63B §5.2.2, OWASP ASVS V2.2.1), counted per
// method and per subject: the (address, username) pair, the person, the address.
// Past a threshold the next attempt must wait a doubling delay, past a second the
// subject is locked for a period (audited as pair.locked / person.locked /
// address.locked). Which failures count against which subject is the caller's
// choice (src/session/): a person is only ever counted for a method they hold, and
// a lock on one method never refuses another. Operators lift a person's locks,
// and the pair locks on their username, with POST /admin/users/{id}/unlock.
import type { Ports } from '../ports.ts';
import { sha256 } from '../secrets.ts';
import { consequenceOf, type LockoutPolicy } from './lockout-schedule.ts';
import { TooManyAttempts, type AttemptSubject, type LockoutMethod, type SubjectKind } from './too-many-attempts.ts';

export { TooManyAttempts, type AttemptSubject, type LockoutMethod };

const METHODS: readonly LockoutMethod[] = ['password', 'passkey'];
const failuresKey = (method: LockoutMethod) => `${method}-failures`;
/** count 1: throttled; count 2: locked. Expires when the subject may try again. */
const blockedKey = (method: LockoutMethod) => `${method}-blocked`;
/** Beside a block, with the same expiry: its count is when the block began (ms since the epoch). */
const blockedAtKey = (method: LockoutMethod) => `${method}-blocked-at`;
const keysOf = (method: LockoutMethod) => [failuresKey(method), blockedKey(method), blockedAtKey(method)];
/** In a person's scope: its count is when an operator last unlocked them (ms since the epoch). */
const UNLOCKED_AT = 'unlocked-at';
const LOCKED = 2;

export const personSubject = (id: string): AttemptSubject => ({ kind: 'person', id });
export const addressSubject = (address: string): AttemptSubject => ({ kind: 'address', id: address });

/**
 * One address trying one username. The username is hashed as the directory matches it
 * (trimmed, case ignored), so changing its case makes no new pair, and the key stays short.
 */
export async function pairSubject(address: string, username: string): Promise<AttemptSubject> {
  return { kind: 'pair', id: `${address}#${await sha256(username.trim().toLowerCase())}` };
}

const scopeOf = (s: AttemptSubject) => `${s.kind}:${s.id}`;

/** What the check saw, so that a failure and a success touch only what they must. */
export interface AttemptState {
  subject: AttemptSubject;
  failures: number;
  /** A pair's counters from before the person's last unlock: ignored, and dropped at the next count. */
  stale: boolean;
}

function policyFor(ports: Ports, kind: SubjectKind): LockoutPolicy {
  const { lockout } = ports.config;
  return { ...lockout[kind], delaySeconds: lockout.delaySeconds, lockSeconds: lockout.lockSeconds };
}

/**
 * Reads the subjects' counters for `method` in parallel (one round trip each, so the
 * answer takes as long whoever the username names). Throws TooManyAttempts with the
 * longest wait among them; otherwise answers their states, in the order given.
 */
export async function assertMayAttempt(ports: Ports, method: LockoutMethod, subjects: readonly AttemptSubject[]): Promise<AttemptState[]> {
  const now = ports.now();
  const windowMs = ports.config.lockout.windowSeconds * 1000;
  const read = await Promise.all(
    subjects.map((s) => ports.limits.read(scopeOf(s), s.kind === 'person' ? [...keysOf(method), UNLOCKED_AT] : keysOf(method), now)),
  );
  const unlockedAt = read.find((_, i) => subjects[i]!.kind === 'person')?.[UNLOCKED_AT]?.count ?? null;
  const states: AttemptState[] = [];
  let refusal: TooManyAttempts | null = null;
  for (const [i, subject] of subjects.entries()) {
    const counters = read[i]!;
    const failures = counters[failuresKey(method)];
    const blocked = counters[blockedKey(method)];
    const blockedAt = counters[blockedAtKey(method)]?.count ?? 0;
    const stale =
      subject.kind === 'pair' &&
      unlockedAt !== null &&
      ((failures !== undefined && failures.resetAt - windowMs < unlockedAt) || (blocked !== undefined && blockedAt < unlockedAt));
    if (blocked && !stale) {
      const wait = Math.max(1, Math.ceil((blocked.resetAt - now) / 1000));
      if (!refusal || wait > refusal.retryAfterSeconds) refusal = new TooManyAttempts(wait, blocked.count >= LOCKED, subject, method);
    }
    states.push({ subject, failures: stale ? 0 : (failures?.count ?? 0), stale });
  }
  if (refusal) throw refusal;
  return states;
}

interface FailureContext {
  requestId: string;
  /** The person the attempt named, when there is one: the subject of a pair lock's audit record. */
  personId: string | null;
}

/** Counts a failure of `method` against each state's subject and applies its schedule. */
export async function recordFailedAttempts(ports: Ports, method: LockoutMethod, states: readonly AttemptState[], context: FailureContext): Promise<void> {
  await Promise.all(states.map((state) => recordFailure(ports, method, state, context)));
}

async function recordFailure(ports: Ports, method: LockoutMethod, state: AttemptState, context: FailureContext): Promise<void> {
  const now = ports.now();
  const { subject } = state;
  const scope = scopeOf(subject);
  if (state.stale) await ports.limits.remove(scope, keysOf(method));
  const failures = await ports.limits.hit(scope, failuresKey(method), ports.config.lockout.windowSeconds * 1000, now);
  const consequence = consequenceOf(failures.count, policyFor(ports, subject.kind));
  if (consequence.kind === 'none') return;
  const until = now + consequence.seconds * 1000;
  await Promise.all([
    ports.limits.put(scope, blockedKey(method), { count: consequence.kind === 'lock' ? LOCKED : 1, resetAt: until }),
    ports.limits.put(scope, blockedAtKey(method), { count: now, resetAt: until }),
  ]);
  if (consequence.kind !== 'lock') return;
  // After the lock the count starts again, so a person who waits gets the free attempts back.
  await ports.limits.remove(scope, [failuresKey(method)]);
  const address = subject.kind === 'address' ? subject.id : subject.kind === 'pair' ? subject.id.slice(0, subject.id.lastIndexOf('#')) : null;
  await ports.audit.record({
    actor: 'system',
    action: `${subject.kind}.locked`,
    subject: subject.kind === 'person' ? subject.id : subject.kind === 'pair' ? context.personId : null,
    outcome: 'success',
    details: { method, failures: failures.count, until: new Date(until).toISOString(), ...(address ? { address } : {}) },
    requestId: context.requestId,
  });
}

/**
 * A success forgets the pair's and the person's failures of that method (NIST SP 800-63B
 * §5.2.2), never an address's: one good sign-in must not hide many bad ones.
 */
export async function recordSuccessfulAttempt(ports: Ports, method: LockoutMethod, states: readonly AttemptState[]): Promise<void> {
  const forget = states.filter((s) => s.subject.kind !== 'address' && (s.failures > 0 || s.stale));
  await Promise.all(forget.map((s) => ports.limits.remove(scopeOf(s.subject), keysOf(method))));
}

/**
 * Lifts the person's locks and throttles on every method and forgets their failures; pair
 * counters on their username that began before now are ignored from here on (they expire
 * within the lock or the window, so the mark lives that long). Answers whether a method was locked.
 */
export async function unlockPerson(ports: Ports, personId: string): Promise<boolean> {
  const scope = scopeOf(personSubject(personId));
  const now = ports.now();
  const before = await ports.limits.read(scope, METHODS.map(blockedKey), now);
  await ports.limits.remove(scope, METHODS.flatMap(keysOf));
  const { lockSeconds, windowSeconds } = ports.config.lockout;
  await ports.limits.put(scope, UNLOCKED_AT, { count: now, resetAt: now + Math.max(lockSeconds, windowSeconds) * 1000 });
  return METHODS.some((m) => (before[blockedKey(m)]?.count ?? 0) >= LOCKED);
}

export interface MethodBlock {
  method: LockoutMethod;
  state: 'throttled' | 'locked';
  /** When the person may try this method again (ms since the epoch). */
  until: number;
}

/** The person's current throttles and locks, per method, for an operator to see (and lift with unlockPerson). */
export async function personBlocks(ports: Ports, personId: string): Promise<MethodBlock[]> {
  const now = ports.now();
  const counters = await ports.limits.read(scopeOf(personSubject(personId)), METHODS.map(blockedKey), now);
  return METHODS.flatMap((method) => {
    const block = counters[blockedKey(method)];
    if (!block || block.count < 1 || block.resetAt <= now) return [];
    return [{ method, state: block.count >= LOCKED ? ('locked' as const) : ('throttled' as const), until: block.resetAt }];
  });
}
