// JSON posts from our own pages must come from the issuer's origin: browsers
// always send Origin on POST (Fetch §3.1), so a foreign one is a cross-site
// request and is refused before any work. Scripted callers may send none.
import type { MiddlewareHandler } from 'hono';
import { HttpError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';

export const requireSameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== new URL(c.var.ports.config.issuer).origin) {
    throw new HttpError(403, 'cross-origin requests are refused');
  }
  await next();
};
