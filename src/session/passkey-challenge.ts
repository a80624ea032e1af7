// Where a passkey sign-in's challenge waits between the options call and the
// verify: in the browser's live session when it has one (and then bound to the
// authorization request the page shows), otherwise in a sealed cookie
// (./challenge-cookie.ts), so a page view that only offers passkeys in autofill
// opens no session. A session is opened for it only once the assertion verifies.
import type { Context } from 'hono';
import { OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { clearChallengeCookie, openChallenge, readChallengeCookie, sealChallenge, writeChallengeCookie } from './challenge-cookie.ts';
import { currentSession, sessionHandle, startSession } from './browser-session.ts';
import { expiredInteraction } from './page-errors.ts';
import { CHALLENGE_TTL_MS } from './session-store.ts';
import { noSignIn, type SignInContext } from './sign-in-completion.ts';

/** The challenge an assertion must answer, and the session it signs in to (null: none yet). */
export interface PasskeyChallenge {
  challenge: string;
  context: SignInContext | null;
}

const presentedCookie = (c: Context<AppEnv>) => readChallengeCookie(c, c.var.ports.config.issuer);

function clearCookie(c: Context<AppEnv>): void {
  clearChallengeCookie(c, c.var.ports.config.issuer);
}

/**
 * Keeps `challenge` for the next assertion: in the live session `handle` names (with the
 * pending request `interaction` made current), else sealed in a cookie.
 */
export async function holdChallenge(c: Context<AppEnv>, challenge: string, interaction: string | undefined): Promise<void> {
  const { sessions, config, now } = c.var.ports;
  const handle = sessionHandle(c);
  if (handle && (await sessions.setChallenge(handle, challenge, now(), interaction))) {
    // An older sealed challenge would shadow this one at the verify.
    if (presentedCookie(c) !== null) clearCookie(c);
    return;
  }
  // A pending request lives only in a session: the caller has checked there is one.
  if (interaction) throw expiredInteraction();
  const sealed = await sealChallenge(config.keyEncryptionSecret, challenge, now() + CHALLENGE_TTL_MS);
  writeChallengeCookie(c, config.issuer, sealed);
}

/**
 * W3C WebAuthn §13.4.3: takes the challenge, so it answers one assertion at most: the
 * sealed one is spent in the replay cache, the session's is removed from the session.
 */
export async function takeChallenge(c: Context<AppEnv>): Promise<PasskeyChallenge> {
  const { sessions, config, replay, now } = c.var.ports;
  const at = now();
  const sealed = presentedCookie(c);
  if (sealed !== null) {
    clearCookie(c);
    const opened = await openChallenge(config.keyEncryptionSecret, sealed, at);
    if (!opened.ok && opened.problem === 'expired') throw new OAuthError('invalid_request', 'the passkey request has expired; reload the page and try again');
    if (!opened.ok || !(await replay.firstUse(`webauthn_challenge:${opened.challenge}`, opened.expiresAt))) throw noSignIn();
    return { challenge: opened.challenge, context: null };
  }
  const handle = sessionHandle(c);
  const challenge = handle ? await sessions.takeChallenge(handle, at) : null;
  const session = handle && challenge ? await sessions.load(handle, at) : null;
  if (!handle || !challenge || !session) throw noSignIn();
  const current = session.currentInteraction ? await sessions.interaction(handle, session.currentInteraction, at) : null;
  return { challenge, context: { handle, session, interaction: current?.interaction ?? null } };
}

/**
 * The session a verified assertion on a sealed challenge signs in to: the browser's live
 * one (opened by another tab meanwhile), else a new one within the address's limit.
 */
export async function sessionForSignIn(c: Context<AppEnv>): Promise<SignInContext> {
  const live = await currentSession(c);
  return { ...(live ?? (await startSession(c))), interaction: null };
}
