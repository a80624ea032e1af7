// What a client may change about itself with its registration access token
// (RFC 7592 §2.2 lets the server refuse any update). The fields the operator
// vetted at registration (CONTRACT §3) may only be kept or narrowed there; the
// operator changes them with the admin token. Other fields (client_name, jwks,
// id_token_signed_response_alg, ...) are the client's own to change.
import type { ClientMetadata } from './client-metadata.ts';

const scopeSet = (scope: string | undefined) => new Set((scope ?? '').split(' ').filter(Boolean));

const isSubset = <T>(requested: Iterable<T>, current: Iterable<T>) => {
  const allowed = new Set(current);
  return [...requested].every((v) => allowed.has(v));
};

/** Flags where true is the stricter setting: a client may turn them on, never off. */
const STRICTER_WHEN_TRUE = ['require_pushed_authorization_requests', 'dpop_bound_access_tokens', 'require_pkce', 'fapi2_profile'] as const satisfies readonly (keyof ClientMetadata)[];

/**
 * The first operator-vetted field that `requested` widens compared with
 * `current`, with why, or null when every such field is kept or narrowed.
 */
export function wideningChange(current: ClientMetadata, requested: ClientMetadata): string | null {
  if (!isSubset(scopeSet(requested.scope), scopeSet(current.scope))) return 'scope may only keep or drop registered scopes';
  for (const field of ['redirect_uris', 'post_logout_redirect_uris', 'grant_types', 'served_resources'] as const) {
    if (!isSubset(requested[field], current[field])) return `${field} may only keep or drop registered values`;
  }
  // RFC 8707: no list means any resource, so a list may only shrink, never go away.
  if (current.allowed_resources && !(requested.allowed_resources && isSubset(requested.allowed_resources, current.allowed_resources))) {
    return 'allowed_resources may only keep or drop registered values';
  }
  // RFC 8693: the operator's exchange policy may only shrink.
  if (!isSubset(requested.token_exchange_audiences ?? [], current.token_exchange_audiences ?? [])) {
    return 'token_exchange_audiences may only keep or drop registered values';
  }
  // A new method would mean new credentials the operator never saw.
  if (requested.token_endpoint_auth_method !== current.token_endpoint_auth_method) return 'token_endpoint_auth_method may not be changed';
  // The operator vetted the host the service fetches keys from; dropping it for
  // inline keys would swap that trust anchor for one the client asserts.
  if (requested.jwks_uri !== current.jwks_uri) return 'jwks_uri may not be changed';
  // Removing the back-channel URI only means fewer outbound requests.
  if (requested.backchannel_logout_uri !== undefined && requested.backchannel_logout_uri !== current.backchannel_logout_uri) {
    return 'backchannel_logout_uri may only be kept or removed';
  }
  // Fewer acceptable classes is stricter; no default at all accepts any level.
  if (current.default_acr_values?.length) {
    const acr = requested.default_acr_values ?? [];
    if (acr.length === 0 || !isSubset(acr, current.default_acr_values)) return 'default_acr_values may only keep or drop registered classes';
  }
  for (const flag of STRICTER_WHEN_TRUE) {
    if (current[flag] === true && requested[flag] !== true) return `${flag} may not be turned off`;
  }
  return null;
}
