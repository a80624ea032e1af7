// The rules of a browser session, as pure functions over its record: state and
// request in, next state and outcome out (ARCHITECTURE.md). Every rule but
// create and end presents the SHA-256 of the cookie secret, so a handle that was
// rotated away or guessed reaches nothing. Times are milliseconds since the epoch.
import type { AuthorizationRequest } from '../oauth/authorization-request.ts';
import type { Authentication } from '../ports.ts';
import { afterIdle, type IdleTimeouts } from '../assurance/idle.ts';
import { revokeGrants } from '../oauth/grant-rules.ts';
import { timingSafeEqual } from '../secrets.ts';
import { SESSION_RECORD_FORMAT, unchanged, type Applied, type InteractionState, type SessionRecord, type SessionState } from './session-record.ts';
import {
  CHALLENGE_TTL_MS,
  INTERACTION_TTL_MS,
  MAX_PENDING_INTERACTIONS,
  UNAUTHENTICATED_SESSION_TTL_MS,
  type EndedSession,
  type PendingInteraction,
  type Session,
} from './session-store.ts';

/** OpenID Connect Core §11: the scope that asks for access beyond the session. */
export const OFFLINE_ACCESS = 'offline_access';

/** The session, if it is live and the presented secret is its current one. */
export function authorised(record: SessionRecord | null, secretHash: string, now: number): SessionState | null {
  const session = record?.session;
  if (!session || session.expiresAt <= now || !timingSafeEqual(secretHash, session.secretHash)) return null;
  return session;
}

export function toSession(record: SessionRecord, session: SessionState): Session {
  const clients = [...session.clients].sort((a, b) => a.firstServedAt - b.firstServedAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  return {
    id: record.id,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    authentication: session.authentication,
    lastActiveAt: lastActiveAt(session),
    selectedRoleId: session.selectedRoleId,
    clients: clients.map((c) => c.clientId),
    csrfToken: session.csrfToken,
    currentInteraction: session.currentInteraction,
  };
}

// A record written before activity was recorded counts as idle since forever.
const lastActiveAt = (session: SessionState): number => session.lastActiveAt ?? 0;

function liveInteraction(session: SessionState, id: string, now: number): InteractionState | null {
  return session.interactions.find((i) => i.id === id && i.expiresAt > now) ?? null;
}

const toPending = (i: InteractionState): PendingInteraction => ({ ...i });

/** The record with its session replaced. */
function withSession(record: SessionRecord, session: SessionState): SessionRecord {
  return { ...record, session };
}

export function createSession(record: SessionRecord | null, id: string, secretHash: string, csrfToken: string, now: number): Applied<Session> {
  if (record) throw new Error('session already initialised');
  const session: SessionState = {
    secretHash,
    createdAt: now,
    expiresAt: now + UNAUTHENTICATED_SESSION_TTL_MS,
    authentication: null,
    lastActiveAt: now,
    selectedRoleId: null,
    csrfToken,
    challenge: null,
    currentInteraction: null,
    clients: [],
    interactions: [],
  };
  const next: SessionRecord = { format: SESSION_RECORD_FORMAT, id, session, endedAt: null, grants: [], nextGrantNumber: 1 };
  return { next, result: toSession(next, session) };
}

export function loadSession(record: SessionRecord | null, secretHash: string, now: number): Applied<Session | null> {
  const session = authorised(record, secretHash, now);
  return unchanged(session ? toSession(record!, session) : null);
}

/** Keeps an authorization request for 10 minutes and makes it current; the oldest go beyond the cap. */
export function addInteraction(
  record: SessionRecord | null,
  secretHash: string,
  id: string,
  request: AuthorizationRequest,
  now: number,
): Applied<PendingInteraction | null> {
  const session = authorised(record, secretHash, now);
  if (!session) return unchanged(null);
  const added: InteractionState = { id, request, createdAt: now, expiresAt: now + INTERACTION_TTL_MS, authenticatedAt: null, roleChosen: false };
  const kept = session.interactions.filter((i) => i.expiresAt > now).slice(-(MAX_PENDING_INTERACTIONS - 1));
  // Nobody has signed in yet: the session lives as long as someone is trying to.
  const expiresAt = session.authentication ? session.expiresAt : Math.max(session.expiresAt, now + UNAUTHENTICATED_SESSION_TTL_MS);
  const next = withSession(record!, { ...session, interactions: [...kept, added], currentInteraction: id, expiresAt });
  return { next, result: toPending(added) };
}

/** A live pending interaction with its session; with `focus`, it becomes the current one. */
export function findInteraction(
  record: SessionRecord | null,
  secretHash: string,
  id: string,
  focus: boolean,
  now: number,
): Applied<{ session: Session; interaction: PendingInteraction } | null> {
  const session = authorised(record, secretHash, now);
  const interaction = session && liveInteraction(session, id, now);
  if (!session || !interaction) return unchanged(null);
  if (!focus) return unchanged({ session: toSession(record!, session), interaction: toPending(interaction) });
  const focused = { ...session, currentInteraction: id };
  return { next: withSession(record!, focused), result: { session: toSession(record!, focused), interaction: toPending(interaction) } };
}

/** W3C WebAuthn §13.4.3: one challenge at a time, short-lived; a live interaction named with it becomes current. */
export function setChallenge(
  record: SessionRecord | null,
  secretHash: string,
  challenge: string,
  interactionId: string | null,
  now: number,
): Applied<boolean> {
  const session = authorised(record, secretHash, now);
  if (!session) return unchanged(false);
  const focus = interactionId !== null && liveInteraction(session, interactionId, now) !== null;
  const next = {
    ...session,
    challenge: { value: challenge, expiresAt: now + CHALLENGE_TTL_MS },
    currentInteraction: focus ? interactionId : session.currentInteraction,
  };
  return { next: withSession(record!, next), result: true };
}

/** The challenge, removed as it is read: each is used at most once, expired or not. */
export function takeChallenge(record: SessionRecord | null, secretHash: string, now: number): Applied<string | null> {
  const session = authorised(record, secretHash, now);
  if (!session?.challenge) return unchanged(null);
  const { value, expiresAt } = session.challenge;
  return { next: withSession(record!, { ...session, challenge: null }), result: expiresAt > now ? value : null };
}

/**
 * Records an authentication, replacing the previous one, under a new cookie
 * secret (session fixation). The absolute lifetime starts at the first
 * authentication; a step-up or prompt=login does not extend it.
 */
export function authenticate(
  record: SessionRecord | null,
  request: { secretHash: string; newSecretHash: string; authentication: Authentication; interactionId: string | null; maxAgeMs: number },
  now: number,
): Applied<Session | null> {
  const session = authorised(record, request.secretHash, now);
  if (!session) return unchanged(null);
  const next: SessionState = {
    ...session,
    secretHash: request.newSecretHash,
    authentication: request.authentication,
    lastActiveAt: now,
    expiresAt: session.authentication ? session.expiresAt : now + request.maxAgeMs,
    interactions: session.interactions.map((i) => (i.id === request.interactionId ? { ...i, authenticatedAt: now } : i)),
  };
  return { next: withSession(record!, next), result: toSession(record!, next) };
}

/** The role chosen for the session (null: the person has none), marked on the interaction. */
export function chooseRole(record: SessionRecord | null, secretHash: string, interactionId: string, roleId: string | null, now: number): Applied<boolean> {
  const session = authorised(record, secretHash, now);
  if (!session || !liveInteraction(session, interactionId, now)) return unchanged(false);
  const next: SessionState = {
    ...session,
    selectedRoleId: roleId,
    interactions: session.interactions.map((i) => (i.id === interactionId ? { ...i, roleChosen: true } : i)),
  };
  return { next: withSession(record!, next), result: true };
}

/**
 * About to issue a code: takes the interaction and records the client. Taking it
 * is the single-use guard. It is an authenticated use: a level lost to inactivity
 * (NIST SP 800-63B §4.2.3, §4.3.3) is lost for good, then activity is recorded.
 */
export function completeInteraction(
  record: SessionRecord | null,
  request: { secretHash: string; interactionId: string | null; clientId: string; idle: IdleTimeouts },
  now: number,
): Applied<boolean> {
  const { secretHash, interactionId, clientId } = request;
  const session = authorised(record, secretHash, now);
  if (!session || (interactionId !== null && !liveInteraction(session, interactionId, now))) return unchanged(false);
  const served = session.clients.some((c) => c.clientId === clientId);
  const idleMs = now - lastActiveAt(session);
  const next: SessionState = {
    ...session,
    authentication: session.authentication && afterIdle(session.authentication, idleMs, request.idle),
    lastActiveAt: now,
    interactions: interactionId === null ? session.interactions : session.interactions.filter((i) => i.id !== interactionId),
    currentInteraction: interactionId !== null && session.currentInteraction === interactionId ? null : session.currentInteraction,
    clients: served ? session.clients : [...session.clients, { clientId, firstServedAt: now }],
  };
  return { next: withSession(record!, next), result: true };
}

/**
 * Logout, deactivation or another person signing in: what the caller needs to
 * tell clients, then the session is gone (a late cookie finds nothing, a second
 * end ends nothing). Its grants stay in the record, each with its own state and
 * lifetime, marked by `endedAt`.
 */
export function endSession(record: SessionRecord | null, now: number): Applied<EndedSession | null> {
  const session = record?.session;
  if (!session) return unchanged(null);
  const clients = toSession(record, session).clients;
  // OIDC Back-Channel Logout 1.0 §2.7: ending the session ends what it issued, but a
  // grant holding offline_access was asked for to outlive the session (OIDC Core §11);
  // RFC 9700 §4.14.2 lets refresh tokens end with the session. Revoked in the same write.
  const grants = revokeGrants(record.grants, (g) => !g.input.scope.includes(OFFLINE_ACCESS), 'session_ended', now);
  const next: SessionRecord = { ...record, session: null, endedAt: now, grants };
  return { next, result: { personId: session.authentication?.personId ?? null, clients } };
}

/** Whether an authentication was made with this authenticator (a credential id, or 'totp' for the app). */
export function signedInWith(authentication: Authentication | null, authenticatorId: string): boolean {
  if (!authentication) return false;
  return authenticatorId === 'totp' ? authentication.method === 'password_totp' : authentication.credentialId === authenticatorId;
}

/**
 * NIST SP 800-63B §6.2, CONTRACT §10: a revoked authenticator's sessions end.
 * The session ends (as by a logout) when its authentication used it; every grant
 * that rests on an authentication by it is revoked, offline_access ones included.
 */
export function endSessionSignedInWith(record: SessionRecord | null, authenticatorId: string, now: number): Applied<EndedSession | null> {
  if (!record) return unchanged(null);
  const applies = (g: SessionRecord['grants'][number]) => !g.revoked && signedInWith(g.input.authentication, authenticatorId);
  const grants = record.grants.some(applies) ? revokeGrants(record.grants, applies, 'authenticator_revoked', now) : record.grants;
  const withGrants = grants === record.grants ? record : { ...record, grants };
  if (!record.session || !signedInWith(record.session.authentication, authenticatorId)) {
    return withGrants === record ? unchanged(null) : { next: withGrants, result: null };
  }
  return endSession(withGrants, now);
}
