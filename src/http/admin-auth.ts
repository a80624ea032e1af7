// The operator's bearer token guards /scim/v2, /admin and client registration.
import type { MiddlewareHandler } from 'hono';
import { OAuthError } from '../errors.ts';
import { timingSafeEqual } from '../secrets.ts';
import type { AppEnv } from './context.ts';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('authorization'));
  if (!token || !timingSafeEqual(token, c.var.ports.config.adminToken)) {
    // RFC 6750 §3.1
    throw new OAuthError('invalid_token', 'a valid admin bearer token is required', {
      headers: { 'WWW-Authenticate': token ? 'Bearer error="invalid_token"' : 'Bearer' },
    });
  }
  await next();
};
