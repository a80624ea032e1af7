// The session store port: one object per browser session holds who signed in,
// how, which clients it served, pending interactions and challenges, and the
// grants made in it (rules: session-rules.ts, ../oauth/grant-rules.ts).
// Callers name a session by its cookie handle `<object id>.<secret>`; only a
// SHA-256 of the secret is stored, and a wrong or rotated secret finds nothing.
import type { AuthorizationRequest } from '../oauth/authorization-request.ts';
import type { Authentication } from '../ports.ts';

/** How long an authorization request may wait for the person (contract §6). */
export const INTERACTION_TTL_MS = 10 * 60_000;
/** WebAuthn challenges are single use and short-lived. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** A session nobody has signed in to yet lives this long after its latest request. */
export const UNAUTHENTICATED_SESSION_TTL_MS = 60 * 60_000;
/** Older pending requests are dropped beyond this, so a session's storage stays small. */
export const MAX_PENDING_INTERACTIONS = 20;

export interface Session {
  /** The object id (hex): the ID token's `sid`. */
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Absolute: SESSION_MAX_AGE after the first authentication, shorter before it. */
  expiresAt: number;
  /** The latest authentication, replaced by each new one (step-up, prompt=login). */
  authentication: Authentication | null;
  /** Milliseconds since the epoch: the latest authentication or authenticated use. */
  lastActiveAt: number;
  /** CIS2 person_roleid chosen in this session; null until a choice is made. */
  selectedRoleId: string | null;
  /** Client ids the session has issued codes to, for logout. */
  clients: string[];
  /** The synchroniser token forms in this session carry. */
  csrfToken: string;
  /** The interaction the sign-in page last showed: the one a passkey sign-in continues. */
  currentInteraction: string | null;
}

/** An authorization request waiting for the person to sign in or choose a role. */
export interface PendingInteraction {
  id: string;
  request: AuthorizationRequest;
  createdAt: number;
  expiresAt: number;
  /** When the person authenticated within this interaction: prompt=login and max_age are then met. */
  authenticatedAt: number | null;
  /** Whether a role was chosen within this interaction (prompt=login asks again). */
  roleChosen: boolean;
}

export interface EndedSession {
  personId: string | null;
  /** Client ids the session served, for back-channel logout. */
  clients: string[];
}

export interface OpenedSession {
  /** The cookie value. */
  handle: string;
  session: Session;
}

export interface SessionStore {
  /** A new session with no authentication yet. */
  create(now: number): Promise<OpenedSession>;
  /** The live session a handle names; null when unknown, ended, expired or the secret is wrong. */
  load(handle: string, now: number): Promise<Session | null>;
  /** Stores a pending authorization request (10 minutes) and makes it current. */
  addInteraction(handle: string, request: AuthorizationRequest, now: number): Promise<PendingInteraction | null>;
  /** A live pending interaction with its session; with `focus`, it becomes the current one. */
  interaction(handle: string, id: string, now: number, focus?: boolean): Promise<{ session: Session; interaction: PendingInteraction } | null>;
  /**
   * Keeps a WebAuthn challenge (5 minutes), replacing any earlier one. With a
   * live `interactionId`, that interaction becomes the current one in the same
   * step, so the assertion answering this challenge continues that request.
   */
  setChallenge(handle: string, challenge: string, now: number, interactionId?: string | null): Promise<boolean>;
  /** The challenge, removed as it is read: each is used at most once. */
  takeChallenge(handle: string, now: number): Promise<string | null>;
  /**
   * Records a successful authentication, replacing the previous one, and
   * rotates the cookie secret (session fixation): the old handle stops working.
   * Marks `interactionId`, if given, as authenticated.
   */
  authenticate(handle: string, authentication: Authentication, interactionId: string | null, now: number): Promise<OpenedSession | null>;
  /** The role chosen for the session (null: the person has none); marks the interaction. */
  chooseRole(handle: string, interactionId: string, roleId: string | null, now: number): Promise<boolean>;
  /** About to issue a code: takes the interaction (false if already taken) and records the client. */
  completeInteraction(handle: string, interactionId: string | null, clientId: string, now: number): Promise<boolean>;
  /** Ends a session by its id (logout, deactivation); null when it was unknown or already ended. */
  end(sessionId: string): Promise<EndedSession | null>;
  /**
   * Ends the session if its authentication used this authenticator (a credential
   * id, or 'totp'), and revokes every grant made in it that rests on one by it.
   */
  endSignedInWith(sessionId: string, authenticatorId: string): Promise<EndedSession | null>;
}
