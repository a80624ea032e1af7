// The client metadata this service understands (RFC 7591 §2, OpenID Connect
// Registration, Back-Channel Logout, RFC 9449, RFC 9126) and the rules that
// tie the fields together. Unknown fields are dropped, not stored (RFC 7591 §2).
import { z } from 'zod';
import { OAuthError } from '../errors.ts';
import { describeIssue } from '../http/body.ts';
import { ACR_CLASSES, DEVICE_CODE_GRANT_TYPE, FAPI2_SIGNING_ALGS, GRANT_TYPES, SIGNING_ALGS, TOKEN_ENDPOINT_AUTH_METHODS, TOKEN_EXCHANGE_GRANT_TYPE } from '../oauth/vocabulary.ts';
import { backchannelLogoutUriProblem } from './backchannel-uri.ts';
import { redirectUriProblem } from './redirect-uri.ts';
import { resourceProblem } from './resource-uri.ts';

export type GrantType = (typeof GRANT_TYPES)[number];

export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** The methods for which the service issues a client_secret. */
export function usesClientSecret(method: TokenEndpointAuthMethod): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post' || method === 'client_secret_jwt';
}

// RFC 7517 §6.2.2, §6.3.2, §6.4: members that only a private or symmetric key has.
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const publicJwk = z
  .looseObject({
    kty: z.enum(['RSA', 'EC', 'OKP']),
    kid: z.string().min(1).optional(),
    use: z.enum(['sig', 'enc']).optional(),
    alg: z.string().min(1).optional(),
    crv: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .refine((k) => !PRIVATE_JWK_MEMBERS.some((m) => m in k), 'must be a public key: private key members are not accepted')
  .refine(
    (k) => (k.kty === 'RSA' ? Boolean(k.n && k.e) : k.kty === 'EC' ? Boolean(k.crv && k.x && k.y) : Boolean(k.crv && k.x)),
    'is missing the public key members its kty requires',
  );

const jwkSet = z.object({ keys: z.array(publicJwk).min(1).max(20) });

const uri = (problem: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const why = problem(value);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const unique = <T>(values: T[]) => [...new Set(values)];

// RFC 6749 §3.3 scope-token, separated by single spaces.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

/** Field by field, with the defaults RFC 7591 and the OIDC specifications give. */
export const clientMetadataSchema = z
  .object({
    redirect_uris: z.array(uri(redirectUriProblem)).max(50).default([]),
    post_logout_redirect_uris: z.array(uri(redirectUriProblem)).max(50).default([]),
    grant_types: z.array(z.enum(GRANT_TYPES)).min(1).transform(unique).default(['authorization_code']),
    // RFC 7591 §2: "code" is the default, and only the authorization code grant uses it.
    response_types: z.array(z.literal('code')).transform(unique).optional(),
    token_endpoint_auth_method: z.enum(TOKEN_ENDPOINT_AUTH_METHODS).default('client_secret_basic'),
    jwks: jwkSet.optional(),
    jwks_uri: z.string().optional(),
    // CONTRACT §3: a client gets only what the operator named; absent means `openid` alone.
    // Stored records are parsed again on read, so one registered before this default gets it too.
    scope: z.string().regex(SCOPE, 'must be space-separated scope tokens (RFC 6749 §3.3)').default('openid'),
    client_name: z.string().min(1).max(256).optional(),
    backchannel_logout_uri: z.string().optional(),
    backchannel_logout_session_required: z.boolean().default(false),
    dpop_bound_access_tokens: z.boolean().default(false),
    default_acr_values: z.array(z.enum(ACR_CLASSES)).transform(unique).optional(),
    id_token_signed_response_alg: z.enum(SIGNING_ALGS).default('RS256'),
    require_pushed_authorization_requests: z.boolean().default(false),
    // CONTRACT §6: PKCE by default; only the operator may lift it, for a confidential client.
    require_pkce: z.boolean().default(true),
    // RFC 8707 §2: the resources this client may ask tokens for; absent means any absolute URI.
    allowed_resources: z.array(uri(resourceProblem)).min(1).max(50).transform(unique).optional(),
    // The resource URIs this client serves as a resource server: it may introspect
    // tokens issued for them (RFC 7662 §4). Kept apart from allowed_resources so
    // that asking for tokens for an API never lets a client read other clients' tokens for it.
    served_resources: z.array(uri(resourceProblem)).max(50).transform(unique).default([]),
    // FAPI 2.0 Security Profile (operator-vetted): PAR, DPoP, private_key_jwt, PS256/ES256.
    fapi2_profile: z.boolean().optional(),
    // RFC 8693 §2.1 (operator-vetted): the resource URIs or audience names this client may exchange tokens for.
    token_exchange_audiences: z.array(z.string().min(1).max(512)).max(20).transform(unique).optional(),
  })
  .transform((m) => ({
    ...m,
    response_types: m.response_types ?? (m.grant_types.includes('authorization_code') ? ['code' as const] : []),
  }));

export type ClientMetadata = z.output<typeof clientMetadataSchema>;

export const invalidClientMetadata = (description: string) => new OAuthError('invalid_client_metadata', description);
export const invalidRedirectUri = (description: string) => new OAuthError('invalid_redirect_uri', description);

/** The rules between fields, and those that depend on where the service runs. */
function checkConsistency(m: ClientMetadata, issuer: string): void {
  const grants = new Set<GrantType>(m.grant_types);
  const codeFlow = grants.has('authorization_code');
  // RFC 7591 §2.1: grant_types and response_types must agree.
  if (codeFlow !== m.response_types.includes('code')) {
    throw invalidClientMetadata('grant_types authorization_code and response_types code go together (RFC 7591 §2.1)');
  }
  if (codeFlow && m.redirect_uris.length === 0) {
    throw invalidRedirectUri('redirect_uris: the authorization_code grant needs at least one redirect URI');
  }
  // RFC 6749 §4.4.3: client credentials issue no refresh token; only code and device grants do.
  if (grants.has('refresh_token') && !codeFlow && !grants.has(DEVICE_CODE_GRANT_TYPE)) {
    throw invalidClientMetadata('grant_types: refresh_token needs authorization_code or device_code');
  }
  if (m.token_endpoint_auth_method === 'none') {
    // CONTRACT §7: public clients use the authorization code with PKCE, or the device
    // grant (RFC 8628 §3.1: input-constrained devices are often public clients).
    const deviceFlow = grants.has(DEVICE_CODE_GRANT_TYPE);
    const publicGrants: readonly string[] = ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT_TYPE];
    if ((!codeFlow && !deviceFlow) || m.grant_types.some((g) => !publicGrants.includes(g))) {
      throw invalidClientMetadata('token_endpoint_auth_method none is only for authorization_code or device_code (and refresh_token) clients');
    }
  }
  // RFC 9700 §2.1.1: a public client has nothing but PKCE against code injection.
  if (!m.require_pkce && m.token_endpoint_auth_method === 'none') {
    throw invalidClientMetadata('require_pkce false is only for confidential clients');
  }
  // RFC 8693: a client allowed to exchange tokens names the audiences, and one with audiences needs the grant.
  if (grants.has(TOKEN_EXCHANGE_GRANT_TYPE) !== Boolean(m.token_exchange_audiences?.length)) {
    throw invalidClientMetadata('the token-exchange grant and token_exchange_audiences go together');
  }
  // FAPI 2.0 §5.3.2.1, §5.4.1: confidential clients with private_key_jwt, ID tokens PS256 or ES256.
  if (m.fapi2_profile) {
    if (m.token_endpoint_auth_method !== 'private_key_jwt') throw invalidClientMetadata('fapi2_profile needs token_endpoint_auth_method private_key_jwt');
    if (!(FAPI2_SIGNING_ALGS as readonly string[]).includes(m.id_token_signed_response_alg)) {
      throw invalidClientMetadata('fapi2_profile needs id_token_signed_response_alg PS256 or ES256');
    }
  }
  if (m.jwks && m.jwks_uri) {
    throw invalidClientMetadata('jwks and jwks_uri must not both be present (RFC 7591 §2)');
  }
  if (m.token_endpoint_auth_method === 'private_key_jwt' && !m.jwks && !m.jwks_uri) {
    throw invalidClientMetadata('token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri');
  }
  // The service fetches jwks_uri itself: the same reach limits as back-channel logout apply.
  const outbound = [['jwks_uri', m.jwks_uri], ['backchannel_logout_uri', m.backchannel_logout_uri]] as const;
  for (const [field, value] of outbound) {
    const why = value === undefined ? null : backchannelLogoutUriProblem(value, issuer);
    if (why) throw invalidClientMetadata(`${field}: ${why}`);
  }
}

/**
 * Validates a registration or update request body into the metadata to store,
 * defaults filled. Throws `invalid_redirect_uri` or `invalid_client_metadata`
 * (RFC 7591 §3.2.2).
 */
export function validateClientMetadata(input: unknown, context: { issuer: string }): ClientMetadata {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidClientMetadata('the body must be a JSON object');
  }
  // RFC 7592 §2.2: a null value means the field is absent.
  const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const parsed = clientMetadataSchema.safeParse(present);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    const description = describeIssue(parsed.error);
    throw field === 'redirect_uris' ? invalidRedirectUri(description) : invalidClientMetadata(description);
  }
  checkConsistency(parsed.data, context.issuer);
  return parsed.data;
}
