// The grant store port: every grant lives in the object of the session that
// made it, with its authorization code, refresh token family and revocation
// state (ARCHITECTURE.md; rules in grant-rules.ts). Codes and refresh tokens are
// `<session object id>.<secret>` handles, grant ids `<session object id>-<n>`;
// only hashes of secrets are kept. Every check-and-update is atomic in the object.
import type { GrantInput } from '../ports.ts';

/** A live grant as the token, userinfo and introspection code see it. */
export interface Grant extends GrantInput {
  grantId: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** The absolute end of the grant: auth_time + SESSION_MAX_AGE, in milliseconds. */
  expiresAt: number;
  /** The session that made it has ended (only an offline_access grant outlives it). */
  sessionEnded?: boolean;
}

/** Why a code or refresh token was refused; all of them are `invalid_grant` to the client. */
export type GrantRefusal =
  | 'unknown'
  | 'revoked'
  | 'expired'
  /** RFC 6749 §4.1.2, RFC 9700 §4.14.2: the code or refresh token was already used; the grant is now revoked. */
  | 'reused'
  | 'client_mismatch'
  | 'redirect_uri_mismatch'
  | 'pkce_mismatch'
  /** RFC 6749 §6: a refresh asked for scope the grant does not hold. */
  | 'scope_exceeded'
  /** RFC 9449 §5, §10: the DPoP proof's key is not the one the code or refresh token is bound to. */
  | 'dpop_mismatch';

export type GrantOutcome =
  | { ok: true; grant: Grant; refreshToken: string | null; refreshExpiresAt: number | null }
  | { ok: false; refusal: GrantRefusal; grantId: string | null; personId: string | null };

interface RedeemCodeRequest {
  code: string;
  clientId: string;
  redirectUri: string;
  /** BASE64URL(SHA256(code_verifier)) computed by the caller (RFC 7636 §4.6); null when none was sent. */
  verifierChallenge: string | null;
  /** Whether the client registered the refresh_token grant. */
  issueRefreshToken: boolean;
  /** RFC 9449: the JWK thumbprint of the request's DPoP proof, if any. */
  dpopJkt?: string | null;
  /** RFC 9449 §5: bind the refresh token to dpopJkt (public clients). */
  bindRefreshToken?: boolean;
}

/** RFC 8628 §3.4: the grant a device authorization was approved with. */
interface RedeemDeviceCodeRequest {
  grantId: string;
  /** SHA-256 of the device code's secret, which the grant's code hash must equal. */
  deviceCodeHash: string;
  clientId: string;
  issueRefreshToken: boolean;
}

interface RotateRefreshTokenRequest {
  refreshToken: string;
  clientId: string;
  /** RFC 6749 §6: a narrower scope for the new access token, checked before anything is spent. */
  scope: string[] | null;
  /** RFC 9449: the JWK thumbprint of the request's DPoP proof, if any. */
  dpopJkt?: string | null;
}

export type RefreshTokenRevocation = 'revoked' | 'unknown' | 'other_client';

export interface GrantStore {
  /**
   * Creates the grant and its single-use authorization code in the session
   * `input.sessionId`; null when that session is no longer live or is another person's.
   */
  issueCode(input: GrantInput): Promise<{ grantId: string; code: string } | null>;
  /**
   * RFC 8628 §3.3: a grant approved on the verification page, in the approving
   * person's session, whose single-use code is the device code (its hash), valid
   * until `codeExpiresAt`; null as for issueCode.
   */
  issueDeviceGrant(input: GrantInput, deviceCodeHash: string, codeExpiresAt: number): Promise<{ grantId: string } | null>;
  /** The device grant's tokens, once (RFC 8628 §3.4). */
  redeemDeviceCode(request: RedeemDeviceCodeRequest): Promise<GrantOutcome>;
  /** Revokes the grant and everything issued under it; false when it was unknown. */
  revoke(grantId: string, reason: string): Promise<boolean>;
  /** Revokes every grant of the person made in the session, ended or not (CONTRACT §4); answers how many. */
  revokePersonGrants(sessionId: string, personId: string, reason: string): Promise<number>;
  /**
   * The first presentation with matching client, redirect_uri and PKCE verifier
   * wins; a later presentation of a spent code revokes the grant (RFC 6749 §4.1.2).
   */
  redeemCode(request: RedeemCodeRequest): Promise<GrantOutcome>;
  /** Current refresh token → a new one; a spent one revokes the family (RFC 9700 §4.14.2). */
  rotateRefreshToken(request: RotateRefreshTokenRequest): Promise<GrantOutcome>;
  /** The grant when it is live (not revoked, not expired); null otherwise. */
  findGrant(grantId: string): Promise<Grant | null>;
  /** The grant when this refresh token is its current, unexpired one. */
  findByRefreshToken(refreshToken: string): Promise<{ grant: Grant; refreshExpiresAt: number } | null>;
  /** RFC 7009 §2.1: revokes the grant when the refresh token is current and was issued to `clientId`. */
  revokeRefreshToken(refreshToken: string, clientId: string): Promise<{ outcome: RefreshTokenRevocation; grantId: string | null }>;
}
