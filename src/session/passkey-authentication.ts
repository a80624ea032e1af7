// The sign-in page's JSON API (contract §6), sharing the page's cookies:
// POST /webauthn/authentication/options → request options, the challenge kept in
// the session, or sealed in a cookie while there is none (./passkey-challenge.ts);
// POST /webauthn/authentication/verify → the assertion checked, the session
// authenticated (opened now if there was none; cookie secret rotated), `{redirect_to}`.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { readJson } from '../http/body.ts';
import { clientAddress } from '../limits/client-address.ts';
import { addressSubject, assertMayAttempt, recordFailedAttempts } from '../limits/lockout.ts';
import { checkPasskeyAssertion, passkeyAuthenticationOptions, PasskeyAssertionError } from '../webauthn/authentication.ts';
import { credentialUseQuery } from '../directory/credentials/webauthn.ts';
import { authenticationResponseSchema } from '../webauthn/response-schemas.ts';
import { requireSameOrigin } from '../webauthn/same-origin.ts';
import { sessionHandle } from './browser-session.ts';
import { holdChallenge, sessionForSignIn, takeChallenge } from './passkey-challenge.ts';
import { expiredInteraction } from './page-errors.ts';
import { auditSignIn, completeSignIn } from './sign-in-completion.ts';
import { statementOf } from './sign-in-write.ts';
import { WEBAUTHN } from '../paths.ts';

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
  // A first visit keeps the challenge in a sealed cookie: no session opens before a sign-in.
  await holdChallenge(c, requestOptions.challenge, interaction);
  return c.json(requestOptions, 200, NO_STORE);
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
  const pending = await takeChallenge(c);

  let next: string;
  try {
    const checked = await checkPasskeyAssertion({ db, config, response, expectedChallenge: pending.challenge, now: now(), audit, requestId: c.var.requestId });
    // The counter is recorded in the sign-in's own transaction, with its audit row.
    const gate = { statement: statementOf(credentialUseQuery(db, checked.use)), refused: checked.refused };
    // A sealed challenge had no session behind it: one opens now that the assertion has verified.
    const context = pending.context ?? (await sessionForSignIn(c));
    next = await completeSignIn(
      c,
      context,
      checked.authentication,
      'this passkey is not strong enough for this service; use a security key or a passkey kept only on this device',
      gate,
    );
  } catch (err) {
    if (err instanceof PasskeyAssertionError) {
      await auditSignIn(c, 'failure', err.personId, pending.context, { method: 'passkey', reason: err.reason, credentialId: err.credentialId });
      await recordFailedAttempts(ports, 'passkey', attempt, { requestId: c.var.requestId, personId: err.personId });
    }
    throw err;
  }
  return c.json({ redirect_to: next }, 200, NO_STORE);
}

export const passkeyAuthenticationRoutes = new Hono<AppEnv>()
  .post(WEBAUTHN.authenticationOptions, requireSameOrigin, options)
  .post(WEBAUTHN.authenticationVerify, requireSameOrigin, verify);
