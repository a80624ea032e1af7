// One typed error for the protocol, rendered in one place (src/http/errors.ts)
// in the shape its RFC gives. Descriptions are safe to show: no internals.

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: number = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${error}: ${description}`);
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

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description, 400);
export const notFound = () => new OAuthError('not_found', 'no such resource', 404);
