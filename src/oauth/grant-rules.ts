// The rules of the grants made in a session, as pure functions over the
// session's record: a grant's authorization code (spent once), its refresh token
// family (rotated on every use, a spent one revokes the family) and the
// revocation state its access tokens are checked against. Only SHA-256 hashes of
// secrets arrive here, compared in constant time. Times are milliseconds.
import type { GrantInput } from '../ports.ts';
import { timingSafeEqual } from '../secrets.ts';
import { grantIdOf, unchanged, type Applied, type GrantState, type SessionRecord } from '../session/session-record.ts';
import type { Grant, GrantRefusal, RefreshTokenRevocation } from './grant-store.ts';
import { DEVICE_CODE_GRANT_TYPE } from './vocabulary.ts';

/**
 * Grants one session may hold at once (spent and expired ones are dropped as it
 * is written), so its record stays far below a store's value limit (2 MB in a
 * Durable Object) however many codes single sign-on is asked for.
 */
export const MAX_GRANTS_PER_SESSION = 500;

export type GrantResult =
  | { ok: true; grant: Grant; refreshExpiresAt: number | null }
  | { ok: false; refusal: GrantRefusal; grantId: string | null; personId: string | null };

export interface IssueCode {
  input: GrantInput;
  codeHash: string;
  codeTtlMs: number;
  /** SESSION_MAX_AGE: a grant ends this long after the authentication it rests on. */
  sessionMaxAgeMs: number;
}

export interface RedeemCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  /** BASE64URL(SHA256(code_verifier)) (RFC 7636 §4.6); null when none was sent. */
  verifierChallenge: string | null;
  accessTokenTtlMs: number;
  refresh: { hash: string; ttlMs: number } | null;
  /** RFC 9449: the thumbprint of the request's DPoP proof, null without one. */
  dpopJkt?: string | null;
  /** RFC 9449 §5: a public client's refresh token is bound to dpopJkt. */
  bindRefreshToken?: boolean;
}

/** RFC 8628 §3.4: the grant a device authorization was approved with, named by the device record. */
export interface RedeemDeviceCode {
  grantNumber: number;
  /** SHA-256 of the device code's secret: the grant's code hash. */
  codeHash: string;
  clientId: string;
  accessTokenTtlMs: number;
  refresh: { hash: string; ttlMs: number } | null;
}

/**
 * The redirect_uri of a grant made by approving a device authorization: not a URI,
 * so no authorization code request can name it, and redeemCode refuses such a grant.
 */
export const DEVICE_GRANT_REDIRECT = DEVICE_CODE_GRANT_TYPE;

export interface RotateRefresh {
  refreshHash: string;
  newRefreshHash: string;
  clientId: string;
  requestedScope: string[] | null;
  accessTokenTtlMs: number;
  refreshTtlMs: number;
  /** RFC 9449: the thumbprint of the request's DPoP proof, null without one. */
  dpopJkt?: string | null;
}

function toGrant(record: SessionRecord, grant: GrantState): Grant {
  return { ...grant.input, grantId: grantIdOf(record, grant), createdAt: grant.createdAt, expiresAt: grant.expiresAt, sessionEnded: record.endedAt !== null };
}

function refuse(record: SessionRecord | null, grant: GrantState | null, refusal: GrantRefusal): GrantResult {
  return { ok: false, refusal, grantId: grant && record ? grantIdOf(record, grant) : null, personId: grant?.input.personId ?? null };
}

function replace(record: SessionRecord, grant: GrantState, next: GrantState): SessionRecord {
  return { ...record, grants: record.grants.map((g) => (g === grant ? next : g)) };
}

function revoked(grant: GrantState, reason: string, now: number): GrantState {
  return grant.revoked ? grant : { ...grant, revoked: { at: now, reason } };
}

/** A token issued now lives until then at most; the grant is kept while any may live. */
function liveUntil(grant: GrantState, accessTokenExpiresAt: number, refreshExpiresAt: number | null): number {
  return Math.max(grant.liveUntil, Math.min(accessTokenExpiresAt, grant.expiresAt), refreshExpiresAt ?? 0);
}

// Every grant is compared, so the time taken does not say which one matched.
function matching(record: SessionRecord | null, hashOf: (g: GrantState) => string | null, hash: string): GrantState | null {
  let found: GrantState | null = null;
  for (const grant of record?.grants ?? []) {
    const stored = hashOf(grant);
    if (stored !== null && timingSafeEqual(stored, hash)) found = grant;
  }
  return found;
}

function wasSpent(grant: GrantState, hash: string): boolean {
  let spent = false;
  for (const stored of grant.spentRefreshHashes) spent = timingSafeEqual(stored, hash) || spent;
  return spent;
}

/**
 * A new grant and its code, inside the live, authenticated session that made
 * it; null when that session is gone, is someone else's or holds as many
 * grants as it may. The grant ends
 * SESSION_MAX_AGE after the authentication and never past the session's own end,
 * which a later step-up or prompt=login does not move.
 */
export function issueCode(record: SessionRecord | null, request: IssueCode, now: number): Applied<{ grantId: string } | null> {
  const session = record?.session;
  const { input } = request;
  if (!session || session.expiresAt <= now || input.sessionId !== record.id || session.authentication?.personId !== input.personId) {
    return unchanged(null);
  }
  if (record.grants.filter((g) => g.liveUntil > now).length >= MAX_GRANTS_PER_SESSION) return unchanged(null);
  const expiresAt = Math.min(input.authentication.authTime * 1000 + request.sessionMaxAgeMs, session.expiresAt);
  const codeExpiresAt = Math.min(now + request.codeTtlMs, expiresAt);
  const grant: GrantState = {
    number: record.nextGrantNumber,
    input,
    createdAt: now,
    expiresAt,
    code: { hash: request.codeHash, expiresAt: codeExpiresAt, spentAt: null },
    refresh: null,
    spentRefreshHashes: [],
    liveUntil: codeExpiresAt,
    revoked: null,
  };
  const next = { ...record, grants: [...record.grants, grant], nextGrantNumber: record.nextGrantNumber + 1 };
  return { next, result: { grantId: grantIdOf(record, grant) } };
}

/**
 * RFC 7636 §4.6: the verifier matches the challenge. RFC 9700 §4.8.2: a
 * verifier for a code issued without a challenge is refused too (PKCE downgrade).
 */
function pkceMatches(challenge: string | null, verifierChallenge: string | null): boolean {
  if (challenge === null || verifierChallenge === null) return challenge === verifierChallenge;
  return timingSafeEqual(challenge, verifierChallenge);
}

/** RFC 6749 §4.1.3, RFC 7636 §4.6: the first presentation with matching client, redirect_uri and verifier wins. */
export function redeemCode(record: SessionRecord | null, req: RedeemCode, now: number): Applied<GrantResult> {
  const grant = matching(record, (g) => g.code.hash, req.codeHash);
  // A device grant's code is the device code, redeemed only through its device record.
  if (!record || !grant || grant.input.redirectUri === DEVICE_GRANT_REDIRECT) return unchanged(refuse(record, null, 'unknown'));
  if (grant.revoked) return unchanged(refuse(record, grant, 'revoked'));
  if (grant.code.spentAt !== null) {
    // RFC 6749 §4.1.2: a second use of a code revokes what the first issued.
    return { next: replace(record, grant, revoked(grant, 'code_reuse', now)), result: refuse(record, grant, 'reused') };
  }
  if (grant.code.expiresAt <= now) return unchanged(refuse(record, grant, 'expired'));
  // RFC 6749 §4.1.3: issued to this client, for this redirect_uri; RFC 7636 §4.6: the verifier.
  if (grant.input.clientId !== req.clientId) return unchanged(refuse(record, grant, 'client_mismatch'));
  if (grant.input.redirectUri !== req.redirectUri) return unchanged(refuse(record, grant, 'redirect_uri_mismatch'));
  if (!pkceMatches(grant.input.codeChallenge, req.verifierChallenge)) return unchanged(refuse(record, grant, 'pkce_mismatch'));
  // RFC 9449 §10: a code bound with dpop_jkt is redeemed only with a proof by that key; nothing is spent otherwise.
  if (grant.input.dpopJkt !== undefined && grant.input.dpopJkt !== req.dpopJkt) return unchanged(refuse(record, grant, 'dpop_mismatch'));
  return spendCode(record, grant, req, now);
}

type SpendRequest = Pick<RedeemCode, 'accessTokenTtlMs' | 'refresh'> & Partial<Pick<RedeemCode, 'dpopJkt' | 'bindRefreshToken'>>;

/** The code spent, the first access token's lifetime and the refresh token (if any, bound to a public client's DPoP key) recorded. */
function spendCode(record: SessionRecord, grant: GrantState, req: SpendRequest, now: number): Applied<GrantResult> {
  const refreshJkt = req.bindRefreshToken && req.dpopJkt ? req.dpopJkt : undefined;
  const refreshExpiresAt = req.refresh ? Math.min(now + req.refresh.ttlMs, grant.expiresAt) : null;
  const refresh = req.refresh && refreshExpiresAt! > now ? { hash: req.refresh.hash, expiresAt: refreshExpiresAt! } : null;
  const next: GrantState = {
    ...grant,
    ...(refreshJkt ? { input: { ...grant.input, refreshJkt } } : {}),
    code: { ...grant.code, spentAt: now },
    refresh,
    liveUntil: liveUntil(grant, now + req.accessTokenTtlMs, refresh?.expiresAt ?? null),
  };
  return { next: replace(record, grant, next), result: { ok: true, grant: toGrant(record, next), refreshExpiresAt: refresh?.expiresAt ?? null } };
}

/**
 * RFC 8628 §3.4: the grant approved for a device authorization, once. The device
 * record has already let only one poll through; the code's own single use here
 * is the second guard, and a reuse revokes the grant as a code's would.
 */
export function redeemDeviceCode(record: SessionRecord | null, req: RedeemDeviceCode, now: number): Applied<GrantResult> {
  const grant = numbered(record, req.grantNumber);
  if (!record || !grant || grant.input.redirectUri !== DEVICE_GRANT_REDIRECT || !timingSafeEqual(grant.code.hash, req.codeHash)) {
    return unchanged(refuse(record, null, 'unknown'));
  }
  if (grant.revoked) return unchanged(refuse(record, grant, 'revoked'));
  if (grant.code.spentAt !== null) {
    return { next: replace(record, grant, revoked(grant, 'code_reuse', now)), result: refuse(record, grant, 'reused') };
  }
  if (grant.code.expiresAt <= now) return unchanged(refuse(record, grant, 'expired'));
  if (grant.input.clientId !== req.clientId) return unchanged(refuse(record, grant, 'client_mismatch'));
  return spendCode(record, grant, req, now);
}

/** RFC 6749 §6 with rotation: the current refresh token for a new one; a spent one revokes the family (RFC 9700 §4.14.2). */
export function rotateRefresh(record: SessionRecord | null, req: RotateRefresh, now: number): Applied<GrantResult> {
  const grant = matching(record, (g) => g.refresh?.hash ?? null, req.refreshHash);
  if (!record) return unchanged(refuse(record, null, 'unknown'));
  if (!grant) {
    const spent = record.grants.find((g) => wasSpent(g, req.refreshHash));
    if (!spent) return unchanged(refuse(record, null, 'unknown'));
    // Only the replay that revokes the family is 'reused' (and audited once); later ones find it revoked.
    if (spent.revoked) return unchanged(refuse(record, spent, 'revoked'));
    // RFC 9700 §4.14.2: a spent refresh token was replayed; revoke the whole family.
    return { next: replace(record, spent, revoked(spent, 'refresh_token_reuse', now)), result: refuse(record, spent, 'reused') };
  }
  if (grant.revoked) return unchanged(refuse(record, grant, 'revoked'));
  if (grant.refresh!.expiresAt <= now) return unchanged(refuse(record, grant, 'expired'));
  if (grant.input.clientId !== req.clientId) return unchanged(refuse(record, grant, 'client_mismatch'));
  // RFC 9449 §5: a bound refresh token needs a proof by the same key; the token is not spent otherwise.
  if (grant.input.refreshJkt !== undefined && grant.input.refreshJkt !== req.dpopJkt) return unchanged(refuse(record, grant, 'dpop_mismatch'));
  // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
  if (req.requestedScope && !req.requestedScope.every((s) => grant.input.scope.includes(s))) {
    return unchanged(refuse(record, grant, 'scope_exceeded'));
  }
  // RFC 9700 §4.14.2: sliding lifetime, never past the grant's absolute end.
  const refreshExpiresAt = Math.min(now + req.refreshTtlMs, grant.expiresAt);
  const next: GrantState = {
    ...grant,
    refresh: { hash: req.newRefreshHash, expiresAt: refreshExpiresAt },
    spentRefreshHashes: [...grant.spentRefreshHashes, grant.refresh!.hash],
    liveUntil: liveUntil(grant, now + req.accessTokenTtlMs, refreshExpiresAt),
  };
  return { next: replace(record, grant, next), result: { ok: true, grant: toGrant(record, next), refreshExpiresAt } };
}

const numbered = (record: SessionRecord | null, number: number) => record?.grants.find((g) => g.number === number) ?? null;

/** The grant while it is live: its code redeemed, not revoked, within its absolute lifetime. */
export function findGrant(record: SessionRecord | null, number: number, now: number): Applied<Grant | null> {
  const grant = numbered(record, number);
  if (!grant || grant.revoked || grant.code.spentAt === null || grant.expiresAt <= now) return unchanged(null);
  return unchanged(toGrant(record!, grant));
}

/** The grant when this refresh token is its current, unexpired one. */
export function findByRefresh(record: SessionRecord | null, refreshHash: string, now: number): Applied<{ grant: Grant; refreshExpiresAt: number } | null> {
  const grant = matching(record, (g) => g.refresh?.hash ?? null, refreshHash);
  if (!grant || grant.revoked || grant.refresh!.expiresAt <= now) return unchanged(null);
  return unchanged({ grant: toGrant(record!, grant), refreshExpiresAt: grant.refresh!.expiresAt });
}

/** Revokes the grant and everything issued under it; false when there is no such grant. */
export function revokeGrant(record: SessionRecord | null, number: number, reason: string, now: number): Applied<boolean> {
  const grant = numbered(record, number);
  if (!grant) return unchanged(false);
  if (grant.revoked) return unchanged(true);
  return { next: replace(record!, grant, revoked(grant, reason, now)), result: true };
}

/** RFC 7009 §2.1: only the current refresh token, presented by the client it was issued to. */
export function revokeRefresh(
  record: SessionRecord | null,
  refreshHash: string,
  clientId: string,
  now: number,
): Applied<{ outcome: RefreshTokenRevocation; grantId: string | null }> {
  const grant = matching(record, (g) => g.refresh?.hash ?? null, refreshHash);
  if (!grant || grant.revoked || grant.refresh!.expiresAt <= now) return unchanged({ outcome: 'unknown', grantId: null });
  const grantId = grantIdOf(record!, grant);
  if (grant.input.clientId !== clientId) return unchanged({ outcome: 'other_client', grantId });
  return { next: replace(record!, grant, revoked(grant, 'revocation', now)), result: { outcome: 'revoked', grantId } };
}

/** The grants with every one that `applies` to revoked (already revoked ones keep their first reason). */
export function revokeGrants(grants: GrantState[], applies: (grant: GrantState) => boolean, reason: string, now: number): GrantState[] {
  return grants.map((g) => (applies(g) ? revoked(g, reason, now) : g));
}

/** CONTRACT §4: every grant of the person made in this session, ended or not, revoked at once; answers how many. */
export function revokePersonGrants(record: SessionRecord | null, personId: string, reason: string, now: number): Applied<number> {
  const applies = (g: GrantState) => !g.revoked && g.input.personId === personId;
  const count = record?.grants.filter(applies).length ?? 0;
  if (count === 0) return unchanged(0);
  return { next: { ...record!, grants: revokeGrants(record!.grants, applies, reason, now) }, result: count };
}
