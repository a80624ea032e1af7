// Renders every error in the shape its caller expects: RFC 6749 JSON for the
// OAuth and admin endpoints, RFC 7644 JSON under /scim/v2. Unknown exceptions
// become a generic 500 carrying only the request id. Pages render theirs as
// HTML (src/pages/error.tsx).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { OAuthError, ScimError, ServiceError, unavailableCause } from '../errors.ts';
import type { AppEnv } from './context.ts';

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

function isScim(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).pathname.startsWith('/scim/');
}

function scimBody(status: number, detail: string, scimType?: string) {
  return { schemas: [SCIM_ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (err instanceof ScimError) {
    return c.json(scimBody(err.status, err.detail, err.scimType), err.status as 400, {
      ...headers,
      'Content-Type': 'application/scim+json',
    });
  }
  if (err instanceof ServiceError) {
    if (isScim(c)) {
      return c.json(scimBody(err.status, err.description), err.status as 400, {
        ...headers,
        ...err.headers,
        'Content-Type': 'application/scim+json',
      });
    }
    return c.json({ error: err.error, error_description: err.description }, err.status as 400, {
      ...headers,
      ...err.headers,
    });
  }
  if (err instanceof HTTPException && err.status < 500) {
    // hono's own 4xx: a request the endpoint cannot take, with hono's status.
    return renderError(new OAuthError('invalid_request', err.message || 'bad request', { status: err.status }), c);
  }
  const requestId = c.var.requestId;
  const unavailable = unavailableCause(err);
  if (unavailable) {
    const cause = unavailable.cause;
    c.var.ports?.log.warn('unavailable', { requestId, what: unavailable.what, cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : cause });
    return renderError(new OAuthError('temporarily_unavailable', `${unavailable.what} is unavailable; try again shortly`, { headers: { 'Retry-After': '5' } }), c);
  }
  c.var.ports?.log.error('unhandled error', {
    requestId,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return renderError(new OAuthError('server_error', `internal error (request ${requestId})`), c);
}
