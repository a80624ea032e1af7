// The end-session request (OpenID Connect RP-Initiated Logout 1.0 §2, §3),
// validated: which client asks (proved by id_token_hint, or only named by
// client_id), where to send the browser afterwards, and the state to return.
// Every failure is an OAuthError shown on a page (§4): nothing is redirected
// to a URI that did not validate.
import { z } from 'zod';
import { findClient, type Client } from '../clients/client.ts';
import { OAuthError } from '../errors.ts';
import { parseParams } from '../http/body.ts';
import type { Ports } from '../ports.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import { verifyIdTokenHint, type IdTokenHint } from './id-token-hint.ts';

export interface LogoutRequest {
  /** The verified hint and the token itself (carried through the confirmation form). */
  hint: { token: string; claims: IdTokenHint } | null;
  client: Client | null;
  /** Exactly one of the client's registered post_logout_redirect_uris, or null. */
  postLogoutRedirectUri: string | null;
  state: string | null;
  /** Present only on our own confirmation form. */
  csrfToken: string | null;
}

const text = (max: number) => z.string().max(max).optional();

// §2: logout_hint and ui_locales are understood and ignored; other parameters too.
const logoutParams = z.looseObject({
  id_token_hint: text(16_384),
  client_id: text(256),
  post_logout_redirect_uri: text(2048),
  state: text(2048),
  [CSRF_FIELD]: text(256),
});

const invalid = (description: string) => new OAuthError('invalid_request', description);

const present = (value: string | undefined) => (value === undefined || value === '' ? null : value);

export async function parseLogoutRequest(ports: Pick<Ports, 'db' | 'keys' | 'config'>, params: URLSearchParams): Promise<LogoutRequest> {
  const values = parseParams(params, logoutParams, invalid);
  const token = present(values.id_token_hint);
  const hint = token ? { token, claims: await verifyIdTokenHint(ports, token) } : null;
  let clientId = present(values.client_id);
  if (hint) {
    // §2: when both are given, client_id must be the hint's audience.
    if (clientId && !hint.claims.audiences.includes(clientId)) throw invalid('client_id does not match the id_token_hint');
    clientId ??= hint.claims.audiences.length === 1 ? hint.claims.audiences[0]! : null;
  }
  const client = clientId ? await findClient(ports.db, clientId) : null;
  if (clientId && !client) throw invalid('the application asking to sign you out is not registered');
  const uri = present(values.post_logout_redirect_uri);
  if (uri !== null) {
    // §3: only a URI registered by the client the request comes from, compared exactly.
    if (!client) throw invalid('post_logout_redirect_uri needs id_token_hint or client_id to say which application it belongs to');
    if (!client.metadata.post_logout_redirect_uris.includes(uri)) {
      throw invalid('post_logout_redirect_uri is not registered for this application');
    }
  }
  return { hint, client, postLogoutRedirectUri: uri, state: present(values.state), csrfToken: present(values[CSRF_FIELD]) };
}

/** The hidden fields that carry a validated request through the confirmation form. */
export function confirmationFields(request: LogoutRequest): Record<string, string> {
  const fields: Record<string, string> = {};
  if (request.hint) fields.id_token_hint = request.hint.token;
  if (request.client) fields.client_id = request.client.clientId;
  if (request.postLogoutRedirectUri) fields.post_logout_redirect_uri = request.postLogoutRedirectUri;
  if (request.state !== null) fields.state = request.state;
  return fields;
}

/** §3: where the browser goes afterwards, with state; null when the service shows its own page. */
export function postLogoutRedirect(request: LogoutRequest): string | null {
  if (!request.postLogoutRedirectUri) return null;
  const url = new URL(request.postLogoutRedirectUri);
  if (request.state !== null) url.searchParams.set('state', request.state);
  return url.href;
}
