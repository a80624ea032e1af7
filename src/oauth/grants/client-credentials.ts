// The client credentials grant (RFC 6749 §4.4): the client acts for itself, so
// the access token's sub is the client_id (RFC 9068 §2.2), with no ID token and
// no refresh token (§4.4.3). No grant object: nothing is written per token.
import { SCOPES } from '../vocabulary.ts';
import { OAuthError } from '../../errors.ts';
import { issueAccessToken } from '../../tokens/access-token.ts';
import { requestedResource } from '../resource.ts';
import { formatScope, isSubset, parseScope } from '../scope.ts';
import { recordTokenEvent } from '../token-audit.ts';
import type { TokenContext, TokenResponse } from '../token-response.ts';

// The OpenID and CIS2 scopes describe a person; a client acting for itself has none.
const PERSON_SCOPES: readonly string[] = SCOPES;

export async function clientCredentialsGrant(ctx: TokenContext): Promise<TokenResponse> {
  const { ports, client, params } = ctx;
  const registered = (parseScope(client.metadata.scope) ?? []).filter((s) => !PERSON_SCOPES.includes(s));
  let scope = registered;
  if (params.scope !== undefined) {
    const requested = parseScope(params.scope);
    if (!requested) throw new OAuthError('invalid_scope', 'scope is malformed');
    // RFC 6749 §3.3: only what the client registered.
    if (!isSubset(requested, registered)) throw new OAuthError('invalid_scope', 'the client may not ask for this scope');
    scope = requested;
  }
  // RFC 8707 §2: the token is for the resource named, else for the client itself.
  const resource = requestedResource(params.resource, client);
  const access = await issueAccessToken(ports, {
    clientId: client.clientId,
    subject: client.clientId,
    scope,
    grantId: null,
    jkt: ctx.dpopJkt,
    ...(resource ? { audience: resource } : {}),
  });
  // The hot path (docs/assurance.md, "Which audit events are written before the answer"): the audit row is written after the response, not before it.
  ctx.defer(recordTokenEvent(ports, {
    actor: `client:${client.clientId}`,
    action: 'token.issue',
    subject: client.clientId,
    clientId: client.clientId,
    outcome: 'success',
    details: { grant_type: 'client_credentials', scope: formatScope(scope) },
    requestId: ctx.requestId,
  }));
  return {
    access_token: access.token,
    token_type: ctx.dpopJkt ? 'DPoP' : 'Bearer',
    expires_in: access.expiresIn,
    ...(scope.length > 0 ? { scope: formatScope(scope) } : {}),
  };
}
