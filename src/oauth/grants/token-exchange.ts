// The token exchange grant (RFC 8693): an API that received a person's access
// token asks for one to call another API on their behalf. The new token keeps
// the person (sub, acr, amr, auth_time), is for the one audience the operator
// allowed this client (registration metadata token_exchange_audiences), and
// names the exchanging client in `act` (delegation, §4.1). Its jti names the
// original grant, so revoking that grant revokes the exchanged token too.
import { invalidRequest, OAuthError } from '../../errors.ts';
import { issueAccessToken } from '../../tokens/access-token.ts';
import { activeAccessToken } from '../../tokens/token-status.ts';
import { mayIntrospectAccessToken } from '../introspection.ts';
import { formatScope, isSubset, parseScope } from '../scope.ts';
import { recordTokenEvent } from '../token-audit.ts';
import { invalidGrant, type TokenContext, type TokenResponse } from '../token-response.ts';
import { TOKEN_EXCHANGE_GRANT_TYPE } from '../vocabulary.ts';

/** RFC 8693 §3: the only token type taken in and given out here. */
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const MAX_TARGET_LENGTH = 512;

/** RFC 8693 §2.1: resource (an absolute URI) or audience (a logical name), one value, one of them. */
function exchangeTarget(params: TokenContext['params']): string {
  const { resource, audience } = params;
  if (resource !== undefined && audience !== undefined) throw invalidRequest('send resource or audience, not both');
  const target = resource ?? audience;
  if (target === undefined) throw invalidRequest('resource or audience is required');
  if (target.length > MAX_TARGET_LENGTH) throw new OAuthError('invalid_target', 'the target is not valid');
  if (resource !== undefined) {
    // RFC 8707 §2: an absolute URI without a fragment.
    if (!URL.canParse(resource) || resource.includes('#')) throw new OAuthError('invalid_target', 'resource must be an absolute URI without a fragment');
  }
  return target;
}

export async function tokenExchangeGrant(ctx: TokenContext): Promise<TokenResponse> {
  const { ports, client, params } = ctx;
  if (!params.subject_token) throw invalidRequest('subject_token is required');
  if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw invalidRequest(`subject_token_type must be ${ACCESS_TOKEN_TYPE}`);
  if (params.requested_token_type !== undefined && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
    throw invalidRequest(`requested_token_type must be ${ACCESS_TOKEN_TYPE}`);
  }
  const target = exchangeTarget(params);
  // RFC 8693 §2.2.2: a target the operator did not allow this client is invalid_target.
  if (!(client.metadata.token_exchange_audiences ?? []).includes(target)) {
    throw new OAuthError('invalid_target', 'this client may not exchange tokens for that audience');
  }

  const subject = await activeAccessToken(ports, params.subject_token);
  // Only a person's token, presented by the API it was issued for (or its own client).
  if (!subject?.grant || !mayIntrospectAccessToken(client, subject.claims)) throw invalidGrant('subject_token is not an active access token issued to or for this client');

  let actor = client.clientId;
  if (params.actor_token !== undefined || params.actor_token_type !== undefined) {
    if (params.actor_token_type !== ACCESS_TOKEN_TYPE || !params.actor_token) throw invalidRequest(`actor_token and actor_token_type ${ACCESS_TOKEN_TYPE} go together`);
    const acting = await activeAccessToken(ports, params.actor_token);
    // The actor is the exchanging client itself, proven by a token issued to it.
    if (!acting || acting.claims.client_id !== client.clientId) throw invalidGrant('actor_token is not an active access token of this client');
    actor = acting.claims.sub;
  }

  const held = subject.claims.scope?.split(' ') ?? [];
  let scope = held;
  if (params.scope !== undefined) {
    const requested = parseScope(params.scope);
    if (!requested) throw new OAuthError('invalid_scope', 'scope is malformed');
    // RFC 8693 §2.1: never wider than the subject token.
    if (!isSubset(requested, held)) throw new OAuthError('invalid_scope', 'the scope exceeds the subject token');
    scope = requested;
  }
  const { auth_time, acr, amr, act } = subject.claims;
  const access = await issueAccessToken(ports, {
    clientId: client.clientId,
    subject: subject.claims.sub,
    scope,
    grantId: subject.grant.grantId,
    // Never outlives the token it was exchanged for.
    notAfter: subject.claims.exp,
    ...(auth_time !== undefined && acr !== undefined && amr !== undefined ? { authentication: { auth_time, acr, amr } } : {}),
    audience: target,
    // RFC 8693 §4.1: the current actor on top, earlier ones nested beneath.
    act: act ? { sub: actor, act } : { sub: actor },
    jkt: ctx.dpopJkt,
  });
  // Best effort (src/audit.ts): written after the answer, as for every other grant.
  ctx.defer(recordTokenEvent(ports, {
    actor: `client:${client.clientId}`,
    action: 'token.issue',
    subject: subject.grant.personId,
    clientId: client.clientId,
    outcome: 'success',
    details: { grant_type: TOKEN_EXCHANGE_GRANT_TYPE, grant_id: subject.grant.grantId, audience: target, scope: formatScope(scope), subject_client_id: subject.claims.client_id },
    requestId: ctx.requestId,
  }));
  return {
    access_token: access.token,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: ctx.dpopJkt ? 'DPoP' : 'Bearer',
    expires_in: access.expiresIn,
    ...(scope.length > 0 ? { scope: formatScope(scope) } : {}),
  };
}
