// Everything one browser session holds, as one plain JSON value: the session
// itself (until it ends) and every grant made in it (ARCHITECTURE.md: one object
// per session, holding its grants). The rules in session-rules.ts and
// ../oauth/grant-rules.ts take a record and return the next one; a store only
// keeps the record with its version and expiry. Only SHA-256 hashes of secrets
// (cookie, code, refresh token) are ever in it.
import type { AuthorizationRequest } from '../oauth/authorization-request.ts';
import type { Authentication, GrantInput } from '../ports.ts';

/** The layout of the record; a store holding an older one converts or drops it. */
export const SESSION_RECORD_FORMAT = 1;

export interface SessionRecord {
  format: typeof SESSION_RECORD_FORMAT;
  /** The object id (64 hex): the ID token's `sid`, and the first part of every handle. */
  id: string;
  /** The browser session; null once it has ended (logout, deactivation, replaced). */
  session: SessionState | null;
  /** When the session ended; its grants stay in `grants`, each with its own state. */
  endedAt: number | null;
  /** Every grant made in this session, live or revoked, until nothing it issued can be live. */
  grants: GrantState[];
  /** The number the next grant gets: grant ids are `<id>-<number>`. */
  nextGrantNumber: number;
}

export interface SessionState {
  /** SHA-256 of the cookie's secret; replaced at every authentication (session fixation). */
  secretHash: string;
  createdAt: number;
  /** Absolute: SESSION_MAX_AGE after the first authentication, shorter before it. */
  expiresAt: number;
  authentication: Authentication | null;
  /** The latest authenticated use (NIST SP 800-63B §4.2.3, §4.3.3: inactivity is measured from it). */
  lastActiveAt: number;
  selectedRoleId: string | null;
  csrfToken: string;
  challenge: { value: string; expiresAt: number } | null;
  currentInteraction: string | null;
  /** Clients the session issued codes to, in the order first served (back-channel logout). */
  clients: { clientId: string; firstServedAt: number }[];
  interactions: InteractionState[];
}

export interface InteractionState {
  id: string;
  request: AuthorizationRequest;
  createdAt: number;
  expiresAt: number;
  authenticatedAt: number | null;
  roleChosen: boolean;
}

export interface GrantState {
  number: number;
  input: GrantInput;
  createdAt: number;
  /** The grant's absolute end: nothing it issues outlives this. */
  expiresAt: number;
  /** The authorization code, spent once (RFC 6749 §4.1.2). */
  code: { hash: string; expiresAt: number; spentAt: number | null };
  /** The current refresh token of the family, if one was issued. */
  refresh: { hash: string; expiresAt: number } | null;
  /** RFC 9700 §4.14.2: spent refresh tokens, kept to recognise their reuse. */
  spentRefreshHashes: string[];
  /** Until when a token issued under the grant may be live; the grant is kept that long. */
  liveUntil: number;
  revoked: { at: number; reason: string } | null;
}

/** A grant id names its session's object and the grant within it: `<object id>-<number>`. */
export function grantIdOf(record: Pick<SessionRecord, 'id'>, grant: Pick<GrantState, 'number'>): string {
  return `${record.id}-${grant.number}`;
}

/** When the record may go: the session's end, or later while a grant's tokens may live. */
export function recordExpiresAt(record: SessionRecord): number {
  let at = record.session?.expiresAt ?? 0;
  for (const grant of record.grants) at = Math.max(at, grant.liveUntil);
  return at;
}

/** What a store does with the record after a rule: write `next`, delete it (null), or nothing. */
export type NextRecord = SessionRecord | null | 'unchanged';

/** A rule's answer: the record to keep and the outcome for the caller. */
export interface Applied<R> {
  next: NextRecord;
  result: R;
}

export const unchanged = <R>(result: R): Applied<R> => ({ next: 'unchanged', result });
