// Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): a JWT that tells
// one client that one session has ended. Signed like that client's ID tokens,
// so the client verifies it with the keys and algorithm it already trusts.
import { SignJWT } from 'jose';
import type { Client } from '../clients/client.ts';
import type { KeyStore } from '../ports.ts';
import { randomToken } from '../secrets.ts';

/** §2.4: the event that makes a JWT a logout token. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** §2.4 and RFC 8725 §3.11: explicit typing keeps it from passing as an ID token. */
const LOGOUT_TOKEN_TYP = 'logout+jwt';
/** Short: a fresh token is signed for every delivery attempt, so none needs to live long. */
const LOGOUT_TOKEN_TTL_SECONDS = 120;

interface LogoutTokenRequest {
  client: Client;
  issuer: string;
  sessionId: string;
  /** The person's uid, as the ID tokens' `sub`; null when unknown (sid alone suffices, §2.4). */
  subject: string | null;
  /** Seconds since the epoch. */
  now: number;
}

interface LogoutTokenClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  sid: string;
  sub?: string;
  events: Record<typeof BACKCHANNEL_LOGOUT_EVENT, Record<string, never>>;
}

export function logoutTokenClaims(request: LogoutTokenRequest): LogoutTokenClaims {
  return {
    iss: request.issuer,
    aud: request.client.clientId,
    iat: request.now,
    exp: request.now + LOGOUT_TOKEN_TTL_SECONDS,
    jti: randomToken(16),
    // §2.4: sid is sent to every client, whether or not it registered
    // backchannel_logout_session_required: our ID tokens always carry it.
    sid: request.sessionId,
    ...(request.subject ? { sub: request.subject } : {}),
    // §2.4: never a nonce, so a logout token cannot be replayed as an ID token.
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
}

export async function issueLogoutToken(keys: KeyStore, request: LogoutTokenRequest): Promise<string> {
  const alg = request.client.metadata.id_token_signed_response_alg;
  const key = await keys.signingKey(alg);
  return new SignJWT({ ...logoutTokenClaims(request) })
    .setProtectedHeader({ alg, kid: key.kid, typ: LOGOUT_TOKEN_TYP })
    .sign(key.privateKey);
}
