// The small interfaces the core needs from its runtime. workers/ implements them
// over Durable Objects and libSQL; tests may hand in other implementations.
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { JSONWebKeySet } from 'jose';
import type * as schema from '../schema/index.ts';
import type { Config } from './config.ts';
import type { Person } from './directory/people.ts';
import type { Logger } from './log.ts';
import type { GrantStore } from './oauth/grant-store.ts';
import type { ReplayCache } from './oauth/replay-cache.ts';
import type { PushedRequestStore } from './oauth/pushed-request-store.ts';
import type { RateLimitStore } from './limits/rate-limit-store.ts';
import type { RevocationList } from './tokens/revocation-list.ts';
import type { SessionStore } from './session/session-store.ts';
import type { ChallengeStore } from './webauthn/challenge-store.ts';
import type { AssetBundle } from './pages/assets.ts';
import type { BackchannelLogoutQueue } from './logout/backchannel-queue.ts';
import type { DeviceAuthorizationStore } from './device/device-store.ts';

/** The directory: people, roles, credentials, clients and audit, in libSQL. */
export type Database = LibSQLDatabase<typeof schema>;

export type SigningAlg = 'RS256' | 'ES256' | 'PS256' | 'EdDSA';

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
}

export interface KeyRotation {
  alg: SigningAlg;
  retiredKid: string | null;
  currentKid: string;
  nextKid: string;
}

export interface KeyStore {
  /** Public keys: each algorithm's next, current and still-valid retired keys. */
  jwks(): Promise<JSONWebKeySet>;
  /** The current key for an algorithm, created on first use. */
  signingKey(alg: SigningAlg): Promise<SigningKey>;
  /** next → current → retired, for every algorithm in use. */
  rotate(): Promise<KeyRotation[]>;
}

export interface AuditEvent {
  actor: string;
  action: string;
  subject?: string | null;
  clientId?: string | null;
  outcome: 'success' | 'failure';
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

export interface Ports {
  config: Config;
  db: Database;
  keys: KeyStore;
  sessions: SessionStore;
  grants: GrantStore;
  /** Device authorizations (RFC 8628) and their user codes, each decided and redeemed once. */
  devices: DeviceAuthorizationStore;
  /** Single-use jti values (client assertions), kept until the JWT expires. */
  replay: ReplayCache;
  /** Revoked access tokens that have no grant object (client_credentials). */
  revocations: RevocationList;
  /** Counters for rate limits and failed-authentication lockout (docs/assurance.md, "Lockout and rate limits"). */
  limits: RateLimitStore;
  /** Single-use WebAuthn challenges of enrolments (contract §5). */
  challenges: ChallengeStore;
  /** Pushed authorization requests (RFC 9126), taken exactly once. */
  pushedRequests: PushedRequestStore;
  /** Files served under /assets/: stylesheet, icons, browser scripts. */
  assets: AssetBundle;
  /** Logout tokens to clients of ended sessions, delivered and retried durably (OIDC Back-Channel Logout 1.0). */
  backchannelLogout: BackchannelLogoutQueue;
  audit: AuditSink;
  log: Logger;
  /**
   * Fetch for URLs clients registered (jwks_uri, backchannel_logout_uri). Where the runtime
   * can resolve names (Deno), one that checks every address and connects to a checked one
   * (src/clients/resolved-address.ts); absent, the runtime's fetch, behind the name check.
   */
  outboundFetch?: typeof fetch;
  /** Milliseconds since the epoch; tests may move it. */
  now: () => number;
}

// ---- Sign-in and tokens (contract §6–§8) ----

/** The authenticator kinds whose use decides the assurance level (contract §8). */
export type AuthenticationMethod = 'passkey' | 'password' | 'password_totp';

/** One authentication, as the session keeps it and tokens report it. */
export interface Authentication {
  personId: string;
  /** Seconds since the epoch: `auth_time`. */
  authTime: number;
  /** RFC 8176 / CIS2 values: ['FIDO2'], ['PWD','TOTP'], ['PWD']. */
  amr: string[];
  /** Authentication assurance level achieved, 1–3. */
  aal: 1 | 2 | 3;
  method: AuthenticationMethod;
  credentialId?: string;
  aaguid?: string;
  /** Passkeys: whether the level rests on verified FIDO metadata or on the authenticator's own flags. */
  assuranceBasis?: 'fido_metadata' | 'self_asserted';
  /**
   * The person as read live at this authentication (ms since the epoch), carried
   * in the session and its grants so the code and token steps of the same sign-in
   * need no directory read; trusted only for PERSON_CACHE_TTL_MS (person-cache.ts).
   */
  person?: { readAt: number; value: Person };
}

/** What the authorization endpoint hands the grant store once the person is known. */
export interface GrantInput {
  clientId: string;
  personId: string;
  /** The session object id: the ID token's `sid`, and the object the grant is made in. */
  sessionId: string;
  scope: string[];
  redirectUri: string;
  /**
   * RFC 7636 S256 challenge; the code is refused without the matching verifier.
   * Null only for a client registered with require_pkce false that sent none
   * (CONTRACT §6): then a verifier is refused (RFC 9700 §4.8.2) and nonce is set.
   */
  codeChallenge: string | null;
  /** RFC 8707: the resource the grant's access tokens are for; absent means the client. */
  resource?: string;
  nonce?: string;
  authentication: Authentication;
  /** The acr class met (contract §8). */
  acr: string;
  /** CIS2 `selected_roleid`, when the selectedrole scope was granted and a role chosen. */
  selectedRoleId?: string | null;
  /** RFC 9449 §10: dpop_jkt of the authorization request; the code is redeemed only with a proof by that key. */
  dpopJkt?: string;
  /** RFC 9449 §5: the key a public client's refresh tokens are bound to, set when the code is redeemed. */
  refreshJkt?: string;
}
