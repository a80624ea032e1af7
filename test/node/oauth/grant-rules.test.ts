import { describe, expect, it } from 'vitest';
import { MAX_GRANTS_PER_SESSION } from '../../../src/oauth/grant-rules.ts';
import type { SessionCommand } from '../../../src/session/session-commands.ts';
import { recordExpiresAt } from '../../../src/session/session-record.ts';
import { AUTH, grantInput, ID, MAX_AGE_MS, SECRET, signedIn, T0, type RecordHolder } from '../../support/session-records.ts';

const CODE_TTL = 60_000;
const ACCESS_TTL = 600_000;
const REFRESH_TTL = 3600_000;

const issue = (holder: RecordHolder, at = T0, overrides = {}) =>
  holder.run({ kind: 'issueCode', input: grantInput(overrides), codeHash: `code-${at}`, codeTtlMs: CODE_TTL, sessionMaxAgeMs: MAX_AGE_MS }, at);

const redeem = (codeHash: string, overrides: Partial<Extract<SessionCommand, { kind: 'redeemCode' }>> = {}) =>
  ({
    kind: 'redeemCode',
    codeHash,
    clientId: 'client-1',
    redirectUri: 'https://rp.example.com/cb',
    verifierChallenge: 'challenge-of-verifier',
    accessTokenTtlMs: ACCESS_TTL,
    refresh: { hash: 'refresh-1', ttlMs: REFRESH_TTL },
    ...overrides,
  }) as const;

const rotate = (refreshHash: string, newRefreshHash: string, requestedScope: string[] | null = null) =>
  ({ kind: 'rotateRefresh', refreshHash, newRefreshHash, clientId: 'client-1', requestedScope, accessTokenTtlMs: ACCESS_TTL, refreshTtlMs: REFRESH_TTL }) as const;

/** A signed-in session with one redeemed grant whose refresh token hash is 'refresh-1'. */
function redeemed() {
  const holder = signedIn();
  const { grantId } = issue(holder)!;
  const outcome = holder.run(redeem(`code-${T0}`), T0 + 1);
  if (!outcome.ok) throw new Error(outcome.refusal);
  return { holder, grantId };
}

describe('issuing a code into the session (one object per session, holding its grants)', () => {
  it('numbers grants within the session: the grant id names the session object', () => {
    const holder = signedIn();
    expect(issue(holder)).toEqual({ grantId: `${ID}-1` });
    expect(issue(holder, T0 + 1)).toEqual({ grantId: `${ID}-2` });
    expect(holder.record!.grants.map((g) => g.code.hash)).toEqual([`code-${T0}`, `code-${T0 + 1}`]);
  });

  it('issues nothing in a session that is unknown, unauthenticated, expired, ended or someone else\'s', () => {
    expect(issue(signedIn(), T0, { personId: 'p-2' })).toBeNull();
    expect(issue(signedIn(), T0, { sessionId: 'b'.repeat(64) })).toBeNull();
    expect(issue(signedIn(), T0 + MAX_AGE_MS)).toBeNull();
    const ended = signedIn();
    ended.run({ kind: 'end' }, T0);
    expect(issue(ended)).toBeNull();
  });

  it(`holds at most ${MAX_GRANTS_PER_SESSION} live grants, so the record stays small`, () => {
    const holder = signedIn();
    for (let i = 0; i < MAX_GRANTS_PER_SESSION; i++) expect(issue(holder, T0 + i)).not.toBeNull();
    expect(issue(holder, T0 + MAX_GRANTS_PER_SESSION)).toBeNull();
    // Once the first codes have expired unredeemed, there is room again.
    expect(issue(holder, T0 + CODE_TTL + 1)).not.toBeNull();
    expect(holder.record!.grants.length).toBeLessThan(MAX_GRANTS_PER_SESSION);
  });

  it('bounds the grant by SESSION_MAX_AGE from its authentication and by the session\'s own end', () => {
    const holder = signedIn();
    // A step-up an hour later: the grant still ends with the session, not an hour after it.
    holder.run({ kind: 'authenticate', secretHash: SECRET, newSecretHash: 's2', authentication: { ...AUTH, authTime: (T0 + 3600_000) / 1000 }, interactionId: null, maxAgeMs: MAX_AGE_MS }, T0 + 3600_000);
    issue(holder, T0 + 3600_000, { authentication: { ...AUTH, authTime: (T0 + 3600_000) / 1000 } });
    expect(holder.record!.grants[0]!.expiresAt).toBe(T0 + MAX_AGE_MS);
    // Near the end, the code's own lifetime is cut short too.
    const late = signedIn();
    issue(late, T0 + MAX_AGE_MS - 10_000);
    expect(late.record!.grants[0]!.code.expiresAt).toBe(T0 + MAX_AGE_MS);
  });
});

describe('redeeming a code (RFC 6749 §4.1.2, §4.1.3; RFC 7636 §4.6)', () => {
  it('redeems once, with a refresh token bounded by the grant', () => {
    const holder = signedIn();
    issue(holder);
    const outcome = holder.run(redeem(`code-${T0}`), T0 + 1);
    expect(outcome).toMatchObject({ ok: true, grant: { grantId: `${ID}-1`, clientId: 'client-1', expiresAt: T0 + MAX_AGE_MS }, refreshExpiresAt: T0 + 1 + REFRESH_TTL });
    expect(holder.record!.grants[0]).toMatchObject({ code: { spentAt: T0 + 1 }, refresh: { hash: 'refresh-1' }, liveUntil: T0 + 1 + REFRESH_TTL });
  });

  it('revokes the grant when a spent code is presented again, and says so once', () => {
    const { holder, grantId } = redeemed();
    expect(holder.run(redeem(`code-${T0}`), T0 + 2)).toEqual({ ok: false, refusal: 'reused', grantId, personId: AUTH.personId });
    expect(holder.record!.grants[0]!.revoked).toEqual({ at: T0 + 2, reason: 'code_reuse' });
    expect(holder.run(redeem(`code-${T0}`), T0 + 3)).toMatchObject({ ok: false, refusal: 'revoked' });
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 3)).toBeNull();
    expect(holder.run(rotate('refresh-1', 'refresh-2'), T0 + 3)).toMatchObject({ ok: false, refusal: 'revoked' });
  });

  it.each([
    ['another client', { clientId: 'client-2' }, 'client_mismatch'],
    ['another redirect_uri', { redirectUri: 'https://rp.example.com/other' }, 'redirect_uri_mismatch'],
    ['a wrong verifier', { verifierChallenge: 'other' }, 'pkce_mismatch'],
    ['an unknown code', { codeHash: 'unknown' }, 'unknown'],
  ] as const)('refuses %s and leaves the code usable', (_, overrides, refusal) => {
    const holder = signedIn();
    issue(holder);
    expect(holder.run(redeem(`code-${T0}`, overrides), T0 + 1)).toMatchObject({ ok: false, refusal });
    expect(holder.run(redeem(`code-${T0}`), T0 + 2)).toMatchObject({ ok: true });
  });

  it('refuses an expired code', () => {
    const holder = signedIn();
    issue(holder);
    expect(holder.run(redeem(`code-${T0}`), T0 + CODE_TTL)).toMatchObject({ ok: false, refusal: 'expired' });
  });

  it('issues no refresh token when the client has not the grant type', () => {
    const holder = signedIn();
    issue(holder);
    expect(holder.run(redeem(`code-${T0}`, { refresh: null }), T0 + 1)).toMatchObject({ ok: true, refreshExpiresAt: null });
    expect(holder.record!.grants[0]!.liveUntil).toBe(T0 + 1 + ACCESS_TTL);
  });
});

describe('rotating refresh tokens (RFC 6749 §6; RFC 9700 §4.14.2)', () => {
  it('rotates on every use, sliding the lifetime but never past the grant\'s end', () => {
    const { holder } = redeemed();
    expect(holder.run(rotate('refresh-1', 'refresh-2'), T0 + 10)).toMatchObject({ ok: true, refreshExpiresAt: T0 + 10 + REFRESH_TTL });
    expect(holder.record!.grants[0]!.spentRefreshHashes).toEqual(['refresh-1']);
    // Used every half hour until the grant's last hour: the last token ends with the grant.
    let [current, at, n] = ['refresh-2', T0 + 10, 2];
    while (at + REFRESH_TTL < T0 + MAX_AGE_MS) {
      at += REFRESH_TTL / 2;
      const next = `refresh-${++n}`;
      const outcome = holder.run(rotate(current, next), at);
      expect(outcome).toMatchObject({ ok: true, refreshExpiresAt: Math.min(at + REFRESH_TTL, T0 + MAX_AGE_MS) });
      current = next;
    }
    expect(holder.record!.grants[0]!.refresh!.expiresAt).toBe(T0 + MAX_AGE_MS);
  });

  it('revokes the whole family when a spent refresh token is replayed, reports it once, then "revoked"', () => {
    const { holder, grantId } = redeemed();
    holder.run(rotate('refresh-1', 'refresh-2'), T0 + 10);
    expect(holder.run(rotate('refresh-1', 'refresh-x'), T0 + 11)).toEqual({ ok: false, refusal: 'reused', grantId, personId: AUTH.personId });
    expect(holder.record!.grants[0]!.revoked).toEqual({ at: T0 + 11, reason: 'refresh_token_reuse' });
    expect(holder.run(rotate('refresh-1', 'refresh-y'), T0 + 12)).toMatchObject({ ok: false, refusal: 'revoked' });
    // The newer token of the family is dead too.
    expect(holder.run(rotate('refresh-2', 'refresh-z'), T0 + 12)).toMatchObject({ ok: false, refusal: 'revoked' });
    expect(holder.run({ kind: 'findByRefresh', refreshHash: 'refresh-2' }, T0 + 12)).toBeNull();
  });

  it('allows a narrower scope, never a wider one, and checks it before anything is spent', () => {
    const { holder } = redeemed();
    expect(holder.run(rotate('refresh-1', 'refresh-2', ['openid', 'email']), T0 + 10)).toMatchObject({ ok: false, refusal: 'scope_exceeded' });
    expect(holder.run(rotate('refresh-1', 'refresh-2', ['openid']), T0 + 11)).toMatchObject({ ok: true, grant: { scope: ['openid', 'profile'] } });
  });

  it('refuses another client, an expired token and an unknown one without revoking', () => {
    const { holder } = redeemed();
    expect(holder.run({ ...rotate('refresh-1', 'refresh-2'), clientId: 'client-2' }, T0 + 10)).toMatchObject({ ok: false, refusal: 'client_mismatch' });
    expect(holder.run(rotate('nothing', 'refresh-2'), T0 + 10)).toMatchObject({ ok: false, refusal: 'unknown', grantId: null });
    expect(holder.run(rotate('refresh-1', 'refresh-2'), T0 + 1 + REFRESH_TTL)).toMatchObject({ ok: false, refusal: 'expired' });
    expect(holder.record!.grants[0]!.revoked).toBeNull();
  });
});

describe('revocation (RFC 7009 §2.1) and status', () => {
  it('revokes a refresh token only for the client it was issued to', () => {
    const { holder, grantId } = redeemed();
    expect(holder.run({ kind: 'revokeRefresh', refreshHash: 'refresh-1', clientId: 'client-2' }, T0 + 2)).toEqual({ outcome: 'other_client', grantId });
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 2)).toMatchObject({ grantId });
    expect(holder.run({ kind: 'revokeRefresh', refreshHash: 'refresh-1', clientId: 'client-1' }, T0 + 3)).toEqual({ outcome: 'revoked', grantId });
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 3)).toBeNull();
    expect(holder.run({ kind: 'revokeRefresh', refreshHash: 'refresh-1', clientId: 'client-1' }, T0 + 4)).toEqual({ outcome: 'unknown', grantId: null });
  });

  it('finds a grant only once its code is redeemed and while it is live', () => {
    const holder = signedIn();
    issue(holder);
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0)).toBeNull();
    holder.run(redeem(`code-${T0}`), T0 + 1);
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 1)).toMatchObject({ grantId: `${ID}-1`, personId: AUTH.personId });
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + MAX_AGE_MS)).toBeNull();
    expect(holder.run({ kind: 'revokeGrant', grantNumber: 2, reason: 'x' }, T0 + 2)).toBe(false);
    expect(holder.run({ kind: 'revokeGrant', grantNumber: 1, reason: 'x' }, T0 + 2)).toBe(true);
    expect(holder.run({ kind: 'revokeGrant', grantNumber: 1, reason: 'y' }, T0 + 3)).toBe(true);
    expect(holder.record!.grants[0]!.revoked).toEqual({ at: T0 + 2, reason: 'x' });
  });
});

describe('grants and the end of their session', () => {
  it('revokes every grant made in the session when it ends, but those holding offline_access (Back-Channel Logout 1.0 §2.7, OIDC Core §11)', () => {
    const { holder, grantId } = redeemed();
    issue(holder, T0 + 2, { scope: ['openid', 'offline_access'] });
    expect(holder.run(redeem(`code-${T0 + 2}`, { refresh: { hash: 'offline-1', ttlMs: REFRESH_TTL } }), T0 + 3)).toMatchObject({ ok: true });
    holder.run({ kind: 'end' }, T0 + 5);
    expect(holder.record).toMatchObject({ session: null, endedAt: T0 + 5 });
    expect(holder.record!.grants[0]!.revoked).toEqual({ at: T0 + 5, reason: 'session_ended' });
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 6)).toBeNull();
    expect(holder.run(rotate('refresh-1', 'refresh-2'), T0 + 6)).toMatchObject({ ok: false, refusal: 'revoked', grantId });
    expect(holder.run({ kind: 'findGrant', grantNumber: 2 }, T0 + 6)).toMatchObject({ grantId: `${ID}-2`, sessionEnded: true });
    expect(holder.run(rotate('offline-1', 'offline-2'), T0 + 6)).toMatchObject({ ok: true, grant: { sessionEnded: true } });
  });

  it('marks a grant of a live session as such', () => {
    const { holder } = redeemed();
    expect(holder.run({ kind: 'findGrant', grantNumber: 1 }, T0 + 2)).toMatchObject({ sessionEnded: false });
  });

  it('revokes every grant of the person at once, the session ended or not (CONTRACT §4)', () => {
    const { holder } = redeemed();
    issue(holder, T0 + 2, { scope: ['openid', 'offline_access'] });
    holder.run({ kind: 'end' }, T0 + 5);
    expect(holder.run({ kind: 'revokePersonGrants', personId: 'someone-else', reason: 'person deactivated' }, T0 + 6)).toBe(0);
    // The first was revoked as the session ended; the offline_access one is revoked now.
    expect(holder.run({ kind: 'revokePersonGrants', personId: AUTH.personId, reason: 'person deactivated' }, T0 + 6)).toBe(1);
    expect(holder.record!.grants.map((g) => g.revoked?.reason)).toEqual(['session_ended', 'person deactivated']);
  });

  it('keeps the ended session\'s record only while something issued in it may live', () => {
    const holder = signedIn();
    issue(holder);
    holder.run({ kind: 'end' }, T0 + 1);
    // The unredeemed code is revoked, and kept (to refuse it) until it would have expired.
    expect(holder.record!.grants).toHaveLength(1);
    expect(holder.record!.grants[0]).toMatchObject({ liveUntil: T0 + CODE_TTL, revoked: { reason: 'session_ended' } });
    expect(recordExpiresAt(holder.record!)).toBe(T0 + CODE_TTL);
  });
});

describe('a revoked authenticator (NIST SP 800-63B §6.2, CONTRACT §10)', () => {
  const WITH_KEY = { ...AUTH, credentialId: 'cred-1' };

  it('ends the session it signed in and revokes every grant resting on it, offline_access ones included', () => {
    const holder = signedIn(T0, WITH_KEY);
    issue(holder, T0, { scope: ['openid', 'offline_access'], authentication: WITH_KEY });
    expect(holder.run({ kind: 'endSignedInWith', authenticatorId: 'other' }, T0 + 1)).toBeNull();
    expect(holder.record!.session).not.toBeNull();
    expect(holder.run({ kind: 'endSignedInWith', authenticatorId: 'cred-1' }, T0 + 2)).toEqual({ personId: AUTH.personId, clients: [] });
    expect(holder.record).toMatchObject({ session: null, endedAt: T0 + 2 });
    expect(holder.record!.grants[0]!.revoked).toEqual({ at: T0 + 2, reason: 'authenticator_revoked' });
  });

  it('leaves a session signed in with another authenticator, and the app only ends password + TOTP sessions', () => {
    const holder = signedIn(T0, { ...AUTH, credentialId: 'cred-2' });
    expect(holder.run({ kind: 'endSignedInWith', authenticatorId: 'cred-1' }, T0 + 1)).toBeNull();
    expect(holder.run({ kind: 'endSignedInWith', authenticatorId: 'totp' }, T0 + 1)).toBeNull();
    const app = signedIn(T0, { ...AUTH, method: 'password_totp', amr: ['PWD', 'TOTP'], aal: 2 });
    expect(app.run({ kind: 'endSignedInWith', authenticatorId: 'totp' }, T0 + 1)).toMatchObject({ personId: AUTH.personId });
  });
});
