// Whether a session can answer an authorization request without a page
// (contract §6 single sign-on), and if not, what the person must do first.
// Pure: values in, a decision out, so every branch is testable without HTTP.
import { acrFor, type AcrClass } from '../assurance/acr.ts';
import { afterIdle, type IdleTimeouts } from '../assurance/idle.ts';
import type { PersonRole } from '../directory/people.ts';
import type { Authentication } from '../ports.ts';
import type { AuthorizationRequest } from './authorization-request.ts';

export type Decision =
  /** `aal`: the level the session still gives, lowered by inactivity. */
  | { kind: 'issue'; acr: AcrClass; aal: 1 | 2 | 3; selectedRoleId: string | null }
  | { kind: 'authenticate'; reason: 'no_session' | 'login' | 'max_age' | 'acr' | 'id_token_hint' }
  | { kind: 'choose_role' }
  /** Someone other than the person id_token_hint names signed in during this request. */
  | { kind: 'not_hinted_person' };

export interface DecisionInput {
  request: AuthorizationRequest;
  /** The session's authentication; null when none, or when its person is no longer active. */
  authentication: Authentication | null;
  /** The uid of the session's person (ID tokens' sub); null without an authentication. */
  subject: string | null;
  /** Set when the person authenticated within this very interaction (seconds). */
  authenticatedInInteraction: boolean;
  roles: PersonRole[];
  /** The role chosen earlier in the session, and whether this interaction made the choice. */
  sessionRoleId: string | null;
  roleChosenInInteraction: boolean;
  nowSeconds: number;
  /** Milliseconds since the session's last authenticated use, and the limits on it. */
  idleMs: number;
  idleTimeouts: IdleTimeouts;
}

/** The person must authenticate again: prompt=login (or select_account) or an old auth_time. */
function needsFreshAuthentication(input: DecisionInput, auth: Authentication): 'login' | 'max_age' | null {
  if (input.authenticatedInInteraction) return null;
  const { prompt, maxAge } = input.request;
  // OIDC Core §3.1.2.1: select_account can only be honoured by signing in again here.
  if (prompt.includes('login') || prompt.includes('select_account')) return 'login';
  // OIDC Core §3.1.2.1 max_age (errata: max_age=0 is equivalent to prompt=login). auth_time
  // has whole seconds, so an authentication exactly max_age old counts as too old.
  if (maxAge !== undefined && input.nowSeconds - auth.authTime >= maxAge) return 'max_age';
  return null;
}

/** Contract §8: selectedrole asks for a role; one is chosen without a page, none means none. */
function roleFor(input: DecisionInput): { roleId: string | null } | null {
  if (!input.request.scope.includes('selectedrole') || input.roles.length === 0) return { roleId: null };
  if (input.roles.length === 1) return { roleId: input.roles[0]!.id };
  // The choice lasts for the session; prompt=login asks again (contract §8).
  const askAgain = input.request.prompt.includes('login') && !input.roleChosenInInteraction;
  const chosen = input.roles.find((r) => r.id === input.sessionRoleId);
  return chosen && !askAgain ? { roleId: chosen.id } : null;
}

export function decide(input: DecisionInput): Decision {
  const auth = input.authentication;
  if (!auth) return { kind: 'authenticate', reason: 'no_session' };
  // OIDC Core §3.1.2.1: a hint naming someone else means that person is not signed in
  // here: they sign in (prompt=none: login_required); if another still does, no code.
  const hinted = input.request.idTokenHintSub;
  if (hinted !== undefined && input.subject !== hinted) {
    return input.authenticatedInInteraction ? { kind: 'not_hinted_person' } : { kind: 'authenticate', reason: 'id_token_hint' };
  }
  const fresh = needsFreshAuthentication(input, auth);
  if (fresh) return { kind: 'authenticate', reason: fresh };
  // NIST SP 800-63B §4.2.3, §4.3.3: an idle session no longer meets the higher classes;
  // a request for one makes the person authenticate again (prompt=none: login_required).
  const current = input.authenticatedInInteraction ? auth : afterIdle(auth, input.idleMs, input.idleTimeouts);
  const acr = acrFor(current, input.request.acrValues);
  if (!acr) return { kind: 'authenticate', reason: 'acr' };
  const role = roleFor(input);
  if (!role) return { kind: 'choose_role' };
  return { kind: 'issue', acr, aal: current.aal, selectedRoleId: role.roleId };
}
