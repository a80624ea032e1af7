// The protocol's vocabulary, in one place: client registration accepts these
// words, the code checks them, and discovery advertises them (OpenID Connect
// Discovery 1.0 §3, RFC 8414 §2), so the lists cannot drift apart.
import type { AuthenticationMethod, SigningAlg } from '../ports.ts';

/**
 * ID token signing algorithms, in the order keys are listed. Never `none`: an
 * unsigned ID token is not an assertion (OIDC Core §2). Every one has a key from
 * the start (src/keys/key-generation.ts).
 */
export const SIGNING_ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const satisfies readonly SigningAlg[];
// The compiler holds SigningAlg (src/ports.ts, which imports nothing) and SIGNING_ALGS equal.
const everySigningAlgListed: Exclude<SigningAlg, (typeof SIGNING_ALGS)[number]> extends never ? true : never = true;
void everySigningAlgListed;

/**
 * RFC 7523 §3 private_key_jwt client assertions are verified with the same
 * asymmetric algorithms; client_secret_jwt (RFC 7523 with a shared secret, as
 * OpenID Connect Core §9 and CIS2 use) with HS256.
 */
export const CLIENT_SECRET_JWT_ALGS = ['HS256'] as const;
/** RFC 8414 §2 *_endpoint_auth_signing_alg_values_supported: both kinds of assertion. */
export const ASSERTION_SIGNING_ALGS = [...SIGNING_ALGS, ...CLIENT_SECRET_JWT_ALGS] as const;

/**
 * RFC 9449 §4.2: DPoP proofs, asymmetric only; the same algorithms in the order
 * dpop_signing_alg_values_supported and the DPoP challenge list them (ES256 first).
 */
export const DPOP_SIGNING_ALGS = ['ES256', 'PS256', 'RS256', 'EdDSA'] as const satisfies readonly SigningAlg[];
const everyDpopAlgListed: Exclude<SigningAlg, (typeof DPOP_SIGNING_ALGS)[number]> extends never ? true : never = true;
void everyDpopAlgListed;

/** FAPI 2.0 §5.4.1: the only signing algorithms allowed under the profile; RS256 is not among them. */
export const FAPI2_SIGNING_ALGS = ['PS256', 'ES256'] as const satisfies readonly SigningAlg[];

/** OAuth 2.0 Multiple Response Type Encoding §2.1 and Form Post Response Mode §2. */
export const RESPONSE_MODES = ['query', 'form_post'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

/** OIDC Core §3.1.2.1 prompt values the authorization endpoint accepts. */
export const PROMPTS = ['none', 'login', 'consent', 'select_account'] as const;
export type Prompt = (typeof PROMPTS)[number];
/** The ones advertised (prompt_values_supported): consent and select_account are accepted and read as login or ignored. */
export const ADVERTISED_PROMPTS = ['none', 'login'] as const satisfies readonly Prompt[];

/** RFC 7636 §4.2: S256 only; plain offers nothing over no PKCE at all. */
export const CODE_CHALLENGE_METHODS = ['S256'] as const;

/** CONTRACT §8: CIS2's scopes, so existing relying parties work unchanged. */
export const SCOPES = [
  'openid',
  'profile',
  'email',
  'nhsperson',
  'associatedorgs',
  'nationalrbacaccess',
  'professionalmemberships',
  'organisationalmemberships',
  'selectedrole',
  // OpenID Connect Core §11: a grant holding it outlives the browser session's logout.
  'offline_access',
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * CONTRACT §7 (ID token) and §8 (what each scope releases); discovery adds the
 * professional membership kinds held in the directory.
 */
export const CLAIMS = [
  'iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'sid',
  'authentication_assurance_level', 'id_assurance_level', 'selected_roleid',
  'name', 'given_name', 'family_name', 'uid',
  'email',
  'nhsid_useruid', 'title', 'initials', 'middle_names', 'display_name', 'idassurancelevel',
  'nhsid_user_orgs',
  'nhsid_nrbac_roles', 'nhsid_org_roles',
  'nhsid_org_memberships',
  'azp',
] as const;

/** RFC 8176 §2 amr values (as CIS2 writes them) of each way of signing in. */
export const AMR_OF: { readonly [M in AuthenticationMethod]: readonly string[] } = {
  password: ['PWD'],
  password_totp: ['PWD', 'TOTP'],
  passkey: ['FIDO2'],
};

/** Contract §8: the CIS2 assurance classes, strongest first. */
export const ACR_CLASSES = ['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL3_FIDO2', 'AAL2_FIDO2', 'AAL2_TOTP'] as const;

/** RFC 7591 §2 token_endpoint_auth_method values, and the RFC 7523 §2.2 ones. */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['private_key_jwt', 'client_secret_jwt', 'client_secret_basic', 'client_secret_post', 'none'] as const;

/** RFC 8628 §3.4: the device authorization grant. */
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8693 §2.1: token exchange. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 7591 §2 grant_types; the token endpoint has a handler for each (src/oauth/token.ts). */
export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  // With device_authorization_endpoint.
  DEVICE_CODE_GRANT_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
] as const;
