// Carries a validated authorization request to its end: a code when the session
// satisfies it (contract §6: no page at all for single sign-on), otherwise the
// sign-in or role choice page with the request kept as a pending interaction.
// /authorize runs it first; /authorize/resume runs it again after each page.
import type { Context } from 'hono';
import type { Client } from '../clients/client.ts';
import { findAuthenticatedPerson } from '../directory/person-cache.ts';
import { idleTimeouts } from '../assurance/idle.ts';
import { OAuthError, ServiceError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import type { BrowserSession } from '../session/browser-session.ts';
import { startSession } from '../session/browser-session.ts';
import type { PendingInteraction } from '../session/session-store.ts';
import { decide, type Decision } from './authorization-decision.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import { errorParams, sendAuthorizationResponse, successParams } from './authorization-response.ts';
import { canMeet } from './step-up.ts';
import { SIGN_IN } from '../paths.ts';

export interface FlowState {
  client: Client;
  request: AuthorizationRequest;
  browser: BrowserSession | null;
  interaction: PendingInteraction | null;
  /** How the flow ends; a code at the redirect URI unless given (the device page gives its own). */
  ends?: FlowEnds;
}

/** What happens once the session satisfies the request, and to a protocol error for the client. */
export interface FlowEnds {
  issue(c: Context<AppEnv>, state: FlowState, decision: IssueDecision): Promise<Response>;
  refuse(c: Context<AppEnv>, request: AuthorizationRequest, err: ServiceError): Response | Promise<Response>;
}

export type IssueDecision = Extract<Decision, { kind: 'issue' }>;

/** An error the client hears about, at its redirect URI (RFC 6749 §4.1.2.1, RFC 9207). */
export function redirectError(c: Context<AppEnv>, request: Pick<AuthorizationRequest, 'redirectUri' | 'responseMode' | 'state'>, err: ServiceError) {
  return sendAuthorizationResponse(c, request, errorParams(err, request, c.var.ports.config.issuer));
}

export async function continueAuthorization(c: Context<AppEnv>, state: FlowState): Promise<Response> {
  const { db, now } = c.var.ports;
  const { request, browser, interaction } = state;
  const ends = state.ends ?? CODE_AT_REDIRECT_URI;
  const nowMs = now();
  const auth = browser?.session.authentication ?? null;
  const person = auth ? await findAuthenticatedPerson(db, auth, nowMs) : null;
  // A person deactivated since signing in has no session (contract §4).
  const authentication = person?.active ? auth : null;
  const decision = decide({
    request,
    authentication,
    subject: authentication ? person!.uid : null,
    authenticatedInInteraction: interaction?.authenticatedAt != null,
    roles: person?.roles ?? [],
    sessionRoleId: browser?.session.selectedRoleId ?? null,
    roleChosenInInteraction: interaction?.roleChosen ?? false,
    nowSeconds: Math.floor(nowMs / 1000),
    idleMs: browser ? nowMs - browser.session.lastActiveAt : 0,
    idleTimeouts: idleTimeouts(c.var.ports.config),
  });
  if (decision.kind === 'issue') return ends.issue(c, state, decision);
  if (decision.kind === 'not_hinted_person') {
    // OIDC Core §3.1.2.1: the person the client named is not the one who signed in.
    await audit(c, state, authentication!.personId, 'failure', { error: 'login_required', reason: 'id_token_hint' });
    return ends.refuse(c, request, new OAuthError('login_required', 'the person who signed in is not the one id_token_hint names'));
  }

  if (decision.kind === 'authenticate' && decision.reason === 'acr' && authentication) {
    // Contract §8: step-up only when the person holds an authenticator that can meet the class.
    if (!(await canMeet(db, c.var.ports.config, authentication.personId, request.acrValues))) {
      await audit(c, state, authentication.personId, 'failure', { error: 'unmet_authentication_requirements' });
      return ends.refuse(c, request, new OAuthError('unmet_authentication_requirements', 'none of your authenticators meets the requested assurance'));
    }
  }
  if (request.prompt.includes('none')) {
    // OIDC Core §3.1.2.6: prompt=none never shows a page.
    const err = decision.kind === 'choose_role'
      ? new OAuthError('interaction_required', 'a role must be chosen')
      : new OAuthError('login_required', 'the person must sign in');
    return ends.refuse(c, request, err);
  }
  const session = browser ?? (await startSession(c));
  const pending = interaction ?? (await c.var.ports.sessions.addInteraction(session.handle, request, nowMs));
  if (!pending) throw new OAuthError('invalid_request', 'the session has ended; go back to the application and try again');
  const path = decision.kind === 'choose_role' ? SIGN_IN.selectRole : SIGN_IN.signIn;
  return c.redirect(`${path}?interaction=${pending.id}`, 303);
}

const CODE_AT_REDIRECT_URI: FlowEnds = { issue, refuse: redirectError };

async function issue(c: Context<AppEnv>, state: FlowState, decision: IssueDecision): Promise<Response> {
  const { sessions, grants, config, now } = c.var.ports;
  const { request, browser, interaction } = state;
  const { session, handle } = browser!;
  // The level the session still gives (NIST SP 800-63B §4.2.3, §4.3.3), as the grant records it.
  const authentication = { ...session.authentication!, aal: decision.aal };
  // Taking the interaction first means a replayed resume URL cannot mint a second code.
  if (!(await sessions.completeInteraction(handle, interaction?.id ?? null, request.clientId, now()))) {
    throw new OAuthError('invalid_request', 'this sign-in request has already been completed or has expired');
  }
  const issued = await grants.issueCode({
    clientId: request.clientId,
    personId: authentication.personId,
    sessionId: session.id,
    scope: request.scope,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    ...(request.resource ? { resource: request.resource } : {}),
    nonce: request.nonce,
    authentication,
    acr: decision.acr,
    selectedRoleId: decision.selectedRoleId,
    ...(request.dpopJkt ? { dpopJkt: request.dpopJkt } : {}),
  });
  // The session ended (logout, deactivation) between loading it and issuing, or holds all the grants it may.
  if (!issued) throw new OAuthError('invalid_request', 'no code can be issued in this session; go back to the application and sign in again');
  await audit(c, state, authentication.personId, 'success', { acr: decision.acr, aal: authentication.aal, sso: interaction === null });
  return sendAuthorizationResponse(c, request, successParams(issued.code, request, config.issuer));
}

export async function audit(
  c: Context<AppEnv>,
  state: FlowState,
  personId: string,
  outcome: 'success' | 'failure',
  details: Record<string, unknown>,
): Promise<void> {
  await c.var.ports.audit.record({
    actor: personId,
    action: outcome === 'success' ? 'authorize.success' : 'authorize.failure',
    subject: personId,
    clientId: state.request.clientId,
    outcome,
    details,
    requestId: c.var.requestId,
  });
}
