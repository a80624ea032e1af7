// Where the device authorization grant (RFC 8628) lives under the issuer, and its name.
export const DEVICE_AUTHORIZATION_PATH = '/device_authorization';
/** verification_uri (RFC 8628 §3.2). */
export const VERIFICATION_PATH = '/device';
export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
