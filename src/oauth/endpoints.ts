// Paths of the token-side endpoints under the issuer; discovery advertises them.
export const TOKEN_PATH = '/token';
export const USERINFO_PATH = '/userinfo';
export const INTROSPECTION_PATH = '/introspect';
export const REVOCATION_PATH = '/revoke';
/** RFC 9126 §2: the pushed authorization request endpoint. */
export const PAR_PATH = '/par';
/** NHS CIS2's token path, served as an alias of TOKEN_PATH (CONTRACT §7), never advertised. */
export const CIS2_TOKEN_PATH = '/access_token';

/** RFC 6749 §5.1, RFC 7662 §2.2: responses carrying tokens or token state are not cached. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;
