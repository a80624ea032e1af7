// What every way of signing in does once the authenticator has been verified
// (contract §6, §8): refuse one too weak for the request when the person holds a
// stronger one (so they can retry), keep the authentication in the session with
// a fresh cookie secret, index the session under the person, audit it, and say
// where the browser goes next. The one-time value's use, the audit row and the
// index entry are one transaction (sign-in-write.ts), written before the session
// records the authentication: a refused use changes no session.
import type { Context } from 'hono';
import { acrFor } from '../assurance/acr.ts';
import { OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { endSession } from '../logout/session-logout.ts';
import { OAUTH, SIGN_IN } from '../paths.ts';
import { canMeet } from '../oauth/step-up.ts';
import type { AuditEvent, Authentication } from '../ports.ts';
import { setSessionCookie } from './browser-session.ts';
import type { PendingInteraction, Session } from './session-store.ts';
import { writeSignIn, type SignInGate } from './sign-in-write.ts';

export const noSignIn = () => new OAuthError('invalid_request', 'no sign-in is in progress; reload the page and try again');

/** The browser session a sign-in happens in, and the request it continues (if any). */
export interface SignInContext {
  handle: string;
  session: Session;
  interaction: PendingInteraction | null;
}

/** docs/assurance.md "Audit queries": each authentication event says how (method), how strongly (level) and with what (AAGUID). */
export async function auditSignIn(
  c: Context<AppEnv>,
  outcome: 'success' | 'failure',
  personId: string | null,
  context: Pick<SignInContext, 'interaction'> | null,
  details: Record<string, unknown> & { method: Authentication['method'] },
): Promise<void> {
  await c.var.ports.audit.record(signInEvent(c, outcome, personId, context, details));
}

function signInEvent(
  c: Context<AppEnv>,
  outcome: 'success' | 'failure',
  personId: string | null,
  context: Pick<SignInContext, 'interaction'> | null,
  details: Record<string, unknown>,
): AuditEvent {
  return {
    actor: personId ?? 'anonymous',
    action: 'signin',
    subject: personId,
    clientId: context?.interaction?.request.clientId ?? null,
    outcome,
    details,
    requestId: c.var.requestId,
  };
}

export function authenticationDetails(authentication: Authentication): Record<string, unknown> & { method: Authentication['method'] } {
  return {
    method: authentication.method,
    level: authentication.aal,
    amr: authentication.amr,
    aaguid: authentication.aaguid ?? null,
    // Contract §8: whether a passkey's level was proven by FIDO metadata or rests on its own flags.
    ...(authentication.assuranceBasis ? { assuranceBasis: authentication.assuranceBasis } : {}),
    ...(authentication.credentialId ? { credentialId: authentication.credentialId } : {}),
  };
}

/**
 * Completes a verified sign-in; answers the URL the browser goes to next.
 * `weak` is what to tell someone whose authenticator is too weak for the request;
 * `gate` spends the authenticator's one-time value, and throws its refusal when
 * the value was already spent (a replay, a cloned authenticator, a revocation).
 */
export async function completeSignIn(
  c: Context<AppEnv>,
  context: SignInContext,
  authentication: Authentication,
  weak: string,
  gate: SignInGate | null = null,
): Promise<string> {
  const { sessions, db, config, now } = c.var.ports;
  const at = now();
  const details = authenticationDetails(authentication);
  const asked = context.interaction?.request.acrValues ?? [];
  // Contract §8: a weaker authenticator than the request needs, from someone who holds a
  // stronger one, is refused so they can retry; with none stronger, the flow ends at resume.
  if (asked.length > 0 && !acrFor(authentication, asked) && (await canMeet(db, config, authentication.personId, asked))) {
    await auditSignIn(c, 'failure', authentication.personId, context, { ...details, reason: 'insufficient_assurance' });
    throw new OAuthError('unmet_authentication_requirements', weak);
  }

  let target = { handle: context.handle, interaction: context.interaction, session: context.session };
  const previous = context.session.authentication && context.session.authentication.personId !== authentication.personId ? context.session.authentication.personId : null;
  if (previous) {
    // Someone else signing in on this browser gets a session (and sid) of their own.
    const fresh = await sessions.create(at);
    const moved = context.interaction ? await sessions.addInteraction(fresh.handle, context.interaction.request, at) : null;
    target = { handle: fresh.handle, interaction: moved, session: fresh.session };
  }
  // The absolute lifetime starts at the session's first authentication (session-rules.ts).
  const expiresAt = target.session.authentication ? target.session.expiresAt : at + config.ttl.sessionMaxAge * 1000;
  await writeSignIn(db, {
    gate,
    event: signInEvent(c, 'success', authentication.personId, target, details),
    session: { personId: authentication.personId, objectId: target.session.id, expiresAt },
    at,
  });
  if (previous) {
    // The first person is signed out as by a logout: their clients hear of it (back-channel) and it is audited.
    const ended = await endSession(c.var.ports, context.session.id, { reason: 'replaced' });
    await c.var.ports.audit.record({
      actor: previous,
      action: 'logout',
      subject: previous,
      clientId: null,
      outcome: 'success',
      details: { sid: context.session.id, reason: 'replaced', clients: ended?.clients ?? [] },
      requestId: c.var.requestId,
    });
  }
  const opened = await sessions.authenticate(target.handle, authentication, target.interaction?.id ?? null, at);
  if (!opened) throw noSignIn();
  setSessionCookie(c, opened);
  const next = target.interaction ? `${OAUTH.authorizeResume}?interaction=${target.interaction.id}` : SIGN_IN.signedIn;
  return `${config.issuer}${next}`;
}
