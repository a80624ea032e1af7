// The sign-in page's JSON API (contract §6), sharing the page's cookies:
// POST /webauthn/authentication/options → request options, the challenge kept in
// the session; POST /webauthn/authentication/verify → the assertion checked,
// the session authenticated (cookie secret rotated), `{redirect_to}`.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { readJson } from '../http/body.ts';
import { methodNotAllowed } from '../http/errors.ts';
import { clientAddress } from '../limits/client-address.ts';
import { addressSubject, assertMayAttempt, recordFailedAttempts } from '../limits/lockout.ts';
import { checkPasskeyAssertion, passkeyAuthenticationOptions, PasskeyAssertionError } from '../webauthn/authentication.ts';
import { credentialUseQuery } from '../webauthn/credential-store.ts';
import { authenticationResponseSchema } from '../webauthn/response-schemas.ts';
import { requireSameOrigin } from '../webauthn/same-origin.ts';
import { sessionHandle, startSession } from './browser-session.ts';
import { expiredInteraction } from './page-errors.ts';
import { auditSignIn, completeSignIn, noSignIn, type SignInContext } from './sign-in-completion.ts';
import { statementOf } from './sign-in-write.ts';

const NO_STORE = { 'Cache-Control': 'no-store' };

// The sign-in page names the request it shows (data-options-body), so the
// assertion continues that one even when several tabs are signing in.
const optionsBody = z.looseObject({ interaction: z.string().max(64).optional() });

async function options(c: Context<AppEnv>): Promise<Response> {
  const { interaction } = await readJson(c, optionsBody);
  const { sessions, config, now } = c.var.ports;
  const requestOptions = await passkeyAuthenticationOptions({ config });
  const handle = sessionHandle(c);
  // A page that continues an authorization request gets a challenge only while that
  // request waits in this session: an assertion answering it must continue the
  // request, never end at /signed-in having lost it.
  if (interaction && !(handle && (await sessions.interaction(handle, interaction, now())))) throw expiredInteraction();
  // A first visit (or an expired session) gets a session to hold the challenge.
  if (!handle || !(await sessions.setChallenge(handle, requestOptions.challenge, now(), interaction))) {
    const started = await startSession(c);
    await sessions.setChallenge(started.handle, requestOptions.challenge, now());
  }
  return c.json(requestOptions, 200, NO_STORE);
}

interface PasskeySignIn extends SignInContext {
  challenge: string;
}

/** The session holding the challenge this assertion answers, and the request it continues. */
async function signInContext(c: Context<AppEnv>): Promise<PasskeySignIn> {
  const { sessions, now } = c.var.ports;
  const at = now();
  const handle = sessionHandle(c);
  // W3C WebAuthn §13.4.3: the challenge is taken, so it answers one assertion at most.
  const challenge = handle ? await sessions.takeChallenge(handle, at) : null;
  const session = handle && challenge ? await sessions.load(handle, at) : null;
  if (!handle || !challenge || !session) throw noSignIn();
  const current = session.currentInteraction ? await sessions.interaction(handle, session.currentInteraction, at) : null;
  return { handle, session, interaction: current?.interaction ?? null, challenge };
}

async function verify(c: Context<AppEnv>): Promise<Response> {
  const response = await readJson(c, authenticationResponseSchema);
  const { ports } = c.var;
  const { db, config, audit, now } = ports;
  // NIST SP 800-63B §5.2.2: failed assertions are counted per address only, apart from
  // passwords. A failed assertion is no guess at a secret (the private key never leaves the
  // authenticator, which limits its own PIN and biometric retries), so counting it against a
  // person would protect nothing and let anyone holding a credential ID lock them out; per
  // address it bounds the verification work one source can cause. No person-wide count of any
  // method refuses a good assertion: a lock on passwords protects passwords, not passkeys.
  const attempt = await assertMayAttempt(ports, 'passkey', [addressSubject(clientAddress(c))]);
  const context = await signInContext(c);

  let next: string;
  try {
    const checked = await checkPasskeyAssertion({ db, config, response, expectedChallenge: context.challenge, now: now(), audit, requestId: c.var.requestId });
    // The counter is recorded in the sign-in's own transaction, with its audit row.
    const gate = { statement: statementOf(credentialUseQuery(db, checked.use)), refused: checked.refused };
    next = await completeSignIn(
      c,
      context,
      checked.authentication,
      'this passkey is not strong enough for this service; use a security key or a passkey kept only on this device',
      gate,
    );
  } catch (err) {
    if (err instanceof PasskeyAssertionError) {
      await auditSignIn(c, 'failure', err.personId, context, { method: 'passkey', reason: err.reason, credentialId: err.credentialId });
      await recordFailedAttempts(ports, 'passkey', attempt, { requestId: c.var.requestId, personId: err.personId });
    }
    throw err;
  }
  return c.json({ redirect_to: next }, 200, NO_STORE);
}

export const passkeyAuthenticationRoutes = new Hono<AppEnv>()
  .post('/webauthn/authentication/options', requireSameOrigin, options)
  .all('/webauthn/authentication/options', methodNotAllowed(['POST']))
  .post('/webauthn/authentication/verify', requireSameOrigin, verify)
  .all('/webauthn/authentication/verify', methodNotAllowed(['POST']));
