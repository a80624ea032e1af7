// The service as one Hono app over its ports: no globals, no runtime-specific
// imports, so the same core runs on Workers, Deno or Node.
import { Hono } from 'hono';
import { OAuthError } from './errors.ts';
import type { Ports } from './ports.ts';
import type { AppEnv } from './http/context.ts';
import { renderError } from './http/errors.ts';
import { limitBody, requestContext } from './http/middleware.ts';
import { healthRoutes } from './health.ts';
import { discoveryRoutes } from './discovery.ts';
import { jwksRoutes } from './keys/jwks.ts';
import { adminKeyRoutes } from './admin/keys.ts';
import { enrolmentRoutes } from './admin/enrolments.ts';
import { registrationRoutes } from './clients/registration.ts';
import { scimRoutes } from './scim/routes.ts';

export function createApp(ports: Ports): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('ports', ports);
    await next();
  });
  app.use('*', requestContext);
  app.use('*', limitBody);
  app.route('/', healthRoutes);
  app.route('/', discoveryRoutes);
  app.route('/', jwksRoutes);
  app.route('/', registrationRoutes);
  app.route('/admin', adminKeyRoutes);
  app.route('/admin', enrolmentRoutes);
  app.route('/scim/v2', scimRoutes);
  app.notFound((c) => renderError(new OAuthError('not_found', 'no such endpoint', 404), c));
  app.onError(renderError);
  return app;
}
