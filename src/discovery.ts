// The provider's metadata: OpenID Connect Discovery 1.0 §3 at
// /.well-known/openid-configuration and the same document for RFC 8414 §3 at
// /.well-known/oauth-authorization-server.
import { Hono } from 'hono';
import type { AppEnv } from './http/context.ts';
import { OAUTH, WELL_KNOWN } from './paths.ts';
import { membershipKindsHeld } from './directory/membership-kinds.ts';
import { KNOWN_MEMBERSHIP_KINDS } from './directory/people.ts';
import {
  ACR_CLASSES,
  ADVERTISED_PROMPTS,
  ASSERTION_SIGNING_ALGS,
  CLAIMS,
  CODE_CHALLENGE_METHODS,
  DPOP_SIGNING_ALGS,
  RESPONSE_MODES,
  SCOPES,
  SIGNING_ALGS,
  TOKEN_ENDPOINT_AUTH_METHODS,
} from './oauth/vocabulary.ts';
import { GRANT_HANDLERS } from './oauth/token.ts';
import type { Ports } from './ports.ts';

// RFC 8414 §2: the algorithms for private_key_jwt and, with HS256, client_secret_jwt.
const ASSERTION_ALGS = ASSERTION_SIGNING_ALGS;
// RFC 7662 §2.1: resource servers authenticate at introspection, so not `none`.
const AUTHENTICATING_METHODS = TOKEN_ENDPOINT_AUTH_METHODS.filter((method) => method !== 'none');

/**
 * The endpoints built so far, as metadata name → path under the issuer.
 * CONTRACT §2: an endpoint that is not built yet is not advertised. Each issue
 * that builds one adds it here (authorization_endpoint, token_endpoint,
 * userinfo_endpoint, introspection_endpoint, revocation_endpoint,
 * end_session_endpoint, pushed_authorization_request_endpoint,
 * device_authorization_endpoint), together with the metadata only it makes
 * true, in `ENDPOINT_METADATA` (grant_types_supported,
 * token_endpoint_auth_methods_supported, dpop_signing_alg_values_supported,
 * backchannel_logout_supported...).
 */
export const ENDPOINTS: Readonly<Record<string, string>> = {
  jwks_uri: WELL_KNOWN.jwks,
  registration_endpoint: OAUTH.register,
  authorization_endpoint: OAUTH.authorize,
  token_endpoint: OAUTH.token,
  userinfo_endpoint: OAUTH.userinfo,
  introspection_endpoint: OAUTH.introspect,
  revocation_endpoint: OAUTH.revoke,
  end_session_endpoint: OAUTH.endSession,
  device_authorization_endpoint: OAUTH.deviceAuthorization,
  pushed_authorization_request_endpoint: OAUTH.par,
};

/** Metadata that holds only once a given endpoint exists, keyed by that endpoint. */
export const ENDPOINT_METADATA: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  // OIDC Back-Channel Logout 1.0 §2.1: logout tokens always carry sid.
  end_session_endpoint: {
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  },
  token_endpoint: {
    // Exactly the grants the token endpoint has a handler for (src/oauth/token.ts).
    grant_types_supported: Object.keys(GRANT_HANDLERS),
    token_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    // RFC 9449 §5.1: proofs at the token endpoint bind tokens; userinfo takes them too.
    dpop_signing_alg_values_supported: DPOP_SIGNING_ALGS,
  },
  // RFC 8414 §2: introspection is for resource servers, which authenticate.
  introspection_endpoint: {
    introspection_endpoint_auth_methods_supported: AUTHENTICATING_METHODS,
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
  },
  // RFC 7009 §2.1: public clients may revoke their own tokens.
  revocation_endpoint: {
    revocation_endpoint_auth_methods_supported: TOKEN_ENDPOINT_AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
  },
  authorization_endpoint: {
    response_modes_supported: RESPONSE_MODES,
    prompt_values_supported: ADVERTISED_PROMPTS,
    // OIDC Core §5.5: an acr asked for in `claims` is honoured.
    claims_parameter_supported: true,
    // OIDC Discovery §3: request_uri_parameter_supported defaults to true, so say no:
    // request_uri is taken only as a PAR reference, never fetched.
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  },
};

export const DISCOVERY_MAX_AGE_SECONDS = 300;

/** What the operator's configuration adds (RFC 9126 §5: PAR for every client). */
export interface DiscoveryOptions {
  requirePushedRequests?: boolean;
}

export function buildDiscoveryDocument(
  issuer: string,
  membershipKinds: readonly string[] = KNOWN_MEMBERSHIP_KINDS,
  options: DiscoveryOptions = {},
): Record<string, unknown> {
  const endpoints: Record<string, string> = {};
  const dependent: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(ENDPOINTS)) {
    endpoints[name] = `${issuer}${path}`;
    Object.assign(dependent, ENDPOINT_METADATA[name]);
  }
  return {
    // OpenID Connect Discovery §4.3: identical to the iss of every token.
    issuer,
    ...endpoints,
    scopes_supported: SCOPES,
    claims_supported: [...CLAIMS, ...membershipKinds],
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: SIGNING_ALGS,
    // RFC 7636 §4.2: plain offers nothing over no PKCE at all.
    code_challenge_methods_supported: CODE_CHALLENGE_METHODS,
    // CONTRACT §6 (not a registered metadata name): PKCE is required unless the
    // operator registered a confidential client with require_pkce false, which
    // must then send a nonce; each client's own require_pkce says which applies.
    require_pkce_default: true,
    acr_values_supported: ACR_CLASSES,
    // RFC 9207 §3: every authorization response carries iss.
    authorization_response_iss_parameter_supported: true,
    ...dependent,
    // RFC 9126 §5: whether every client must push (clients may also be told so one by one).
    require_pushed_authorization_requests: options.requirePushedRequests ?? false,
  };
}

/** How long an isolate reuses the document before reading the membership kinds again. */
export const DISCOVERY_CACHE_MS = 60_000;
/** After a failed read, the known kinds are served and the read retried this soon. */
const FALLBACK_CACHE_MS = 5_000;

// One cache per app (per isolate in production): the document, serialised once.
const rendered = new WeakMap<Ports, { json: string; expiresAt: number }>();

async function discoveryJson(ports: Ports): Promise<string> {
  const now = ports.now();
  const cached = rendered.get(ports);
  if (cached && cached.expiresAt > now) return cached.json;
  let kinds: readonly string[] = KNOWN_MEMBERSHIP_KINDS;
  let ttl = DISCOVERY_CACHE_MS;
  try {
    kinds = await membershipKindsHeld(ports.db);
  } catch (err) {
    // Discovery must answer while the directory is away: the known kinds still hold.
    ports.log.warn('discovery: membership kinds unavailable', { error: String(err) });
    ttl = FALLBACK_CACHE_MS;
  }
  const { config } = ports;
  const json = JSON.stringify(buildDiscoveryDocument(config.issuer, kinds, { requirePushedRequests: config.par.required || config.fapi2 }));
  rendered.set(ports, { json, expiresAt: now + ttl });
  return json;
}

const PATHS = [WELL_KNOWN.openidConfiguration, WELL_KNOWN.oauthAuthorizationServer];

export const discoveryRoutes = new Hono<AppEnv>();
for (const path of PATHS) {
  discoveryRoutes
    .get(path, async (c) =>
      c.body(await discoveryJson(c.var.ports), 200, {
        'Content-Type': 'application/json',
        'Cache-Control': `public, max-age=${DISCOVERY_MAX_AGE_SECONDS}`,
        'Access-Control-Allow-Origin': '*',
      }),
    );
}
