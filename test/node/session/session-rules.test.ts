import { describe, expect, it } from 'vitest';
import { CHALLENGE_TTL_MS, INTERACTION_TTL_MS, MAX_PENDING_INTERACTIONS, UNAUTHENTICATED_SESSION_TTL_MS } from '../../../src/session/session-store.ts';
import { AUTH, ID, IDLE, MAX_AGE_MS, RecordHolder, REQUEST, SECRET, signedIn, T0 } from '../../support/session-records.ts';

function created(at = T0): RecordHolder {
  const holder = new RecordHolder();
  holder.run({ kind: 'create', id: ID, secretHash: SECRET, csrfToken: 'csrf' }, at);
  return holder;
}

const authenticate = (secretHash: string, newSecretHash: string, interactionId: string | null = null, authentication = AUTH) =>
  ({ kind: 'authenticate', secretHash, newSecretHash, authentication, interactionId, maxAgeMs: MAX_AGE_MS }) as const;

describe('a session record: create and load', () => {
  it('starts unauthenticated for an hour, under the object id', () => {
    const holder = created();
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0)).toMatchObject({
      id: ID, createdAt: T0, expiresAt: T0 + UNAUTHENTICATED_SESSION_TTL_MS, authentication: null, clients: [], csrfToken: 'csrf', currentInteraction: null,
    });
    expect(() => holder.run({ kind: 'create', id: ID, secretHash: 'other', csrfToken: 'x' }, T0)).toThrow(/already/);
  });

  it('finds nothing with a wrong secret, after expiry, or without a record', () => {
    const holder = created();
    expect(holder.run({ kind: 'load', secretHash: 'wrong' }, T0)).toBeNull();
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0 + UNAUTHENTICATED_SESSION_TTL_MS)).toBeNull();
    expect(new RecordHolder().run({ kind: 'load', secretHash: SECRET }, T0)).toBeNull();
  });
});

describe('authentication (session fixation, SESSION_MAX_AGE, step-up)', () => {
  it('rotates the secret: the old one stops working (OWASP session fixation)', () => {
    const holder = created();
    expect(holder.run(authenticate(SECRET, 'second'), T0 + 1)).toMatchObject({ authentication: AUTH });
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0 + 1)).toBeNull();
    expect(holder.run({ kind: 'load', secretHash: 'second' }, T0 + 1)).toMatchObject({ authentication: AUTH });
  });

  it('lives SESSION_MAX_AGE from the first authentication; a step-up replaces the authentication but keeps that end', () => {
    const holder = created();
    expect(holder.run(authenticate(SECRET, 's2', null, { ...AUTH, aal: 2 }), T0)!.expiresAt).toBe(T0 + MAX_AGE_MS);
    const stepped = holder.run(authenticate('s2', 's3'), T0 + 60_000);
    expect(stepped).toMatchObject({ authentication: AUTH, expiresAt: T0 + MAX_AGE_MS });
    expect(holder.run({ kind: 'load', secretHash: 's3' }, T0 + MAX_AGE_MS)).toBeNull();
    expect(holder.run(authenticate('s3', 's4'), T0 + MAX_AGE_MS)).toBeNull();
  });

  it('marks the interaction it happened in', () => {
    const holder = created();
    const pending = holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0);
    holder.run(authenticate(SECRET, 's2', pending!.id), T0 + 5);
    expect(holder.run({ kind: 'interaction', secretHash: 's2', interactionId: 'i-1', focus: false }, T0 + 6)!.interaction).toMatchObject({ authenticatedAt: T0 + 5 });
  });
});

describe('pending interactions', () => {
  it('keeps one for 10 minutes, makes it current, and lets it be completed once', () => {
    const holder = created();
    const pending = holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0);
    expect(pending).toEqual({ id: 'i-1', request: REQUEST, createdAt: T0, expiresAt: T0 + INTERACTION_TTL_MS, authenticatedAt: null, roleChosen: false });
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0)!.currentInteraction).toBe('i-1');
    expect(holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-1', focus: false }, T0 + INTERACTION_TTL_MS)).toBeNull();
    expect(holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: 'i-1', clientId: 'c', idle: IDLE }, T0 + 1)).toBe(true);
    // Taking it is the single-use guard: a replayed resume issues nothing.
    expect(holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: 'i-1', clientId: 'c', idle: IDLE }, T0 + 2)).toBe(false);
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0 + 2)).toMatchObject({ currentInteraction: null, clients: ['c'] });
  });

  it(`keeps at most ${MAX_PENDING_INTERACTIONS}, dropping the oldest`, () => {
    const holder = created();
    for (let i = 0; i <= MAX_PENDING_INTERACTIONS; i++) {
      holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: `i-${i}`, request: REQUEST }, T0 + i);
    }
    expect(holder.record!.session!.interactions).toHaveLength(MAX_PENDING_INTERACTIONS);
    expect(holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-0', focus: false }, T0 + 100)).toBeNull();
    expect(holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-1', focus: false }, T0 + 100)).not.toBeNull();
  });

  it('extends a session nobody signed in to while requests keep coming, not a signed-in one', () => {
    const holder = created();
    holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0 + 30 * 60_000);
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0)!.expiresAt).toBe(T0 + 90 * 60_000);
    const signed = signedIn();
    signed.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0 + 30 * 60_000);
    expect(signed.run({ kind: 'load', secretHash: SECRET }, T0)!.expiresAt).toBe(T0 + MAX_AGE_MS);
  });

  it('focuses an interaction only when asked, and records a role choice on it', () => {
    const holder = created();
    holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0);
    holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-2', request: REQUEST }, T0);
    expect(holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-1', focus: false }, T0)!.session.currentInteraction).toBe('i-2');
    expect(holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-1', focus: true }, T0)!.session.currentInteraction).toBe('i-1');
    expect(holder.run({ kind: 'chooseRole', secretHash: SECRET, interactionId: 'i-1', roleId: 'role-1' }, T0)).toBe(true);
    expect(holder.run({ kind: 'chooseRole', secretHash: SECRET, interactionId: 'gone', roleId: 'role-2' }, T0)).toBe(false);
    const found = holder.run({ kind: 'interaction', secretHash: SECRET, interactionId: 'i-1', focus: false }, T0)!;
    expect(found).toMatchObject({ session: { selectedRoleId: 'role-1' }, interaction: { roleChosen: true } });
  });
});

describe('WebAuthn challenges (W3C WebAuthn §13.4.3: single use, short-lived)', () => {
  it('gives a challenge out at most once, and not after 5 minutes', () => {
    const holder = created();
    expect(holder.run({ kind: 'setChallenge', secretHash: SECRET, challenge: 'ch-1', interactionId: null }, T0)).toBe(true);
    expect(holder.run({ kind: 'takeChallenge', secretHash: SECRET }, T0 + 1)).toBe('ch-1');
    expect(holder.run({ kind: 'takeChallenge', secretHash: SECRET }, T0 + 2)).toBeNull();
    holder.run({ kind: 'setChallenge', secretHash: SECRET, challenge: 'ch-2', interactionId: null }, T0);
    expect(holder.run({ kind: 'takeChallenge', secretHash: SECRET }, T0 + CHALLENGE_TTL_MS)).toBeNull();
    // Taken although expired: a late answer cannot use it either.
    expect(holder.record!.session!.challenge).toBeNull();
  });

  it('makes the live interaction named with it current, in the same step', () => {
    const holder = created();
    holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-1', request: REQUEST }, T0);
    holder.run({ kind: 'addInteraction', secretHash: SECRET, interactionId: 'i-2', request: REQUEST }, T0);
    holder.run({ kind: 'setChallenge', secretHash: SECRET, challenge: 'ch', interactionId: 'i-1' }, T0);
    expect(holder.record!.session!.currentInteraction).toBe('i-1');
    holder.run({ kind: 'setChallenge', secretHash: SECRET, challenge: 'ch', interactionId: 'unknown' }, T0);
    expect(holder.record!.session!.currentInteraction).toBe('i-1');
  });
});

describe('ending a session (logout, deactivation, another person signing in)', () => {
  it('answers the person and the clients served in order, then nothing answers to the cookie, and a second end ends nothing', () => {
    const holder = signedIn();
    holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: null, clientId: 'client-b', idle: IDLE }, T0 + 2);
    holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: null, clientId: 'client-a', idle: IDLE }, T0 + 1);
    holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: null, clientId: 'client-b', idle: IDLE }, T0 + 3);
    expect(holder.run({ kind: 'end' }, T0 + 4)).toEqual({ personId: AUTH.personId, clients: ['client-a', 'client-b'] });
    // With no grant in it, nothing is left to keep.
    expect(holder.record).toBeNull();
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0 + 4)).toBeNull();
    expect(holder.run({ kind: 'end' }, T0 + 5)).toBeNull();
  });
});

describe('inactivity (NIST SP 800-63B §4.2.3, §4.3.3)', () => {
  const MINUTE = 60_000;
  const use = (holder: RecordHolder, at: number) =>
    holder.run({ kind: 'completeInteraction', secretHash: SECRET, interactionId: null, clientId: 'c', idle: IDLE }, at);

  it('records the last activity at creation, at each authentication and at each code issued', () => {
    const holder = signedIn();
    expect(holder.record!.session!.lastActiveAt).toBe(T0);
    use(holder, T0 + 10 * MINUTE);
    expect(holder.run({ kind: 'load', secretHash: SECRET }, T0 + 11 * MINUTE)).toMatchObject({ lastActiveAt: T0 + 10 * MINUTE });
  });

  it('loses a level to inactivity for good: a use after 15 idle minutes leaves AAL2, after 30 AAL1, until the next authentication', () => {
    const holder = signedIn();
    use(holder, T0 + 14 * MINUTE);
    expect(holder.record!.session!.authentication!.aal).toBe(3);
    use(holder, T0 + 29 * MINUTE);
    expect(holder.record!.session!.authentication!.aal).toBe(2);
    // Active again a minute later: the AAL3 lost does not come back.
    use(holder, T0 + 30 * MINUTE);
    expect(holder.record!.session!.authentication!.aal).toBe(2);
    use(holder, T0 + 60 * MINUTE);
    expect(holder.record!.session!.authentication!.aal).toBe(1);
    holder.run({ kind: 'authenticate', secretHash: SECRET, newSecretHash: 'secret-hash-2', authentication: AUTH, interactionId: null, maxAgeMs: MAX_AGE_MS }, T0 + 61 * MINUTE);
    expect(holder.record!.session).toMatchObject({ authentication: { aal: 3 }, lastActiveAt: T0 + 61 * MINUTE });
  });
});
