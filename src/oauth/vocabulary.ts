// The protocol's vocabulary, in one place: client registration accepts these
// words, the code checks them, and discovery advertises them (OpenID Connect
// Discovery 1.0 §3, RFC 8414 §2), so the lists cannot drift apart.
import type { SigningAlg } from '../ports.ts';

/**
 * ID token signing algorithms, in the order keys are listed. Never `none`: an
 * unsigned ID token is not an assertion (OIDC Core §2). Every one has a key from
 * the start (src/keys/key-generation.ts).
 */
export const SIGNING_ALGS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const satisfies readonly SigningAlg[];

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
