// The errors the service answers with, rendered in one place (src/http/errors.ts)
// in the shape the caller expects. Descriptions are safe to show: no internals.
// Protocol errors take their status from one table; a throw overrides it only
// where an RFC says so, and says which.

/** Every error the service reports: a code, a description, a status, headers. */
export abstract class ServiceError extends Error {
  abstract readonly error: string;
  abstract readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    readonly description: string,
    headers: Record<string, string> = {},
  ) {
    super(description);
    this.headers = headers;
  }
}

/** The protocol's error codes and the status each is answered with. */
export const PROTOCOL_ERROR_STATUS = {
  // RFC 6749 §4.1.2.1 and §5.2; invalid_client is 401 after header authentication (§5.2).
  invalid_request: 400,
  invalid_client: 400,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  access_denied: 400,
  server_error: 500,
  temporarily_unavailable: 503,
  // OpenID Connect Core §3.1.2.6.
  login_required: 400,
  interaction_required: 400,
  request_not_supported: 400,
  // OpenID Connect Core errata: no authenticator meets the requested acr (RFC 9470 uses the same code).
  unmet_authentication_requirements: 400,
  // RFC 9126 §2.3 and §4.
  invalid_request_uri: 400,
  // RFC 6750 §3.1.
  invalid_token: 401,
  insufficient_scope: 403,
  // RFC 7591 §3.2.2.
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  // RFC 8628 §3.5.
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  // RFC 8707 §2 (and RFC 8693 §2.2.2).
  invalid_target: 400,
  // RFC 9449 §5 and §8: 400 at the token endpoint; 401 at a resource (§7.1).
  invalid_dpop_proof: 400,
  use_dpop_nonce: 400,
} as const satisfies Record<string, number>;

export type ProtocolErrorCode = keyof typeof PROTOCOL_ERROR_STATUS;

export interface StatusOverride {
  /** Only where an RFC gives this use of the code another status; cite it at the throw. */
  status?: number;
  headers?: Record<string, string>;
}

/**
 * An error family whose codes each take their status from the family's table
 * (`{ code: status }`); a family is its table and its name. Only a family whose
 * RFCs give some uses of a code another status passes `override.status` on.
 */
export abstract class CatalogueError<Code extends string> extends ServiceError {
  readonly status: number;

  protected constructor(
    statusOf: Readonly<Record<Code, number>>,
    readonly error: Code,
    description: string,
    override: StatusOverride = {},
  ) {
    super(description, override.headers);
    this.status = override.status ?? statusOf[error];
  }
}

export class OAuthError extends CatalogueError<ProtocolErrorCode> {
  constructor(error: ProtocolErrorCode, description: string, override: StatusOverride = {}) {
    super(PROTOCOL_ERROR_STATUS, error, description, override);
  }
}

/**
 * Failures of HTTP itself rather than of the protocol. The code in the body is
 * RFC 6749's `invalid_request` (§5.2: a request the endpoint cannot take) except
 * where there is no endpoint or method to speak of.
 */
const HTTP_ERROR_CODE = {
  403: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'invalid_request',
  413: 'invalid_request',
  415: 'invalid_request',
  429: 'too_many_requests',
} as const;

export type HttpErrorStatus = keyof typeof HTTP_ERROR_CODE;

export class HttpError extends ServiceError {
  readonly error: string;

  constructor(
    readonly status: HttpErrorStatus,
    description: string,
    headers: Record<string, string> = {},
  ) {
    super(description, headers);
    this.error = HTTP_ERROR_CODE[status];
  }
}

/**
 * Sign-in and enrolment failures: not protocol errors, but told to the pages'
 * scripts in the same JSON shape. Each code has one status.
 */
const AUTHENTICATION_ERROR_STATUS = {
  /** A passkey assertion that does not verify (W3C WebAuthn §7.2). */
  authentication_failed: 400,
  /** Throttled or locked (NIST SP 800-63B §5.2.2); sent with Retry-After. */
  too_many_attempts: 429,
  /** An enrolment invitation that is unknown, used, or for an inactive person. */
  invalid_code: 400,
  expired_code: 400,
  /** No registration ceremony in progress for the invitation (W3C WebAuthn §7.1 step 8). */
  invalid_challenge: 400,
  /** A registration response that does not verify or cannot be kept. */
  registration_failed: 400,
} as const satisfies Record<string, number>;

export type AuthenticationErrorCode = keyof typeof AUTHENTICATION_ERROR_STATUS;

/** No RFC gives these codes another status: a throw may add headers, never a status. */
export class AuthenticationError extends CatalogueError<AuthenticationErrorCode> {
  constructor(error: AuthenticationErrorCode, description: string, headers: Record<string, string> = {}) {
    super(AUTHENTICATION_ERROR_STATUS, error, description, { headers });
  }
}

// RFC 7644 §3.12: SCIM errors carry `status` as a string and an optional scimType.
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
  }
}

// Storage that does not answer in time: the service is unavailable, not broken.
export class UnavailableError extends Error {
  constructor(readonly what: string, options?: { cause?: unknown }) {
    super(`${what} is unavailable`, options);
  }
}

/**
 * The UnavailableError behind `err`, if any. The database adapter throws it from
 * its fetch, and the libraries above (libSQL's client, drizzle) wrap what they
 * catch, so it may sit a few causes deep.
 */
export function unavailableCause(err: unknown): UnavailableError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof UnavailableError) return e;
  }
  return undefined;
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description);
export const notFound = (description = 'no such resource') => new HttpError(404, description);
