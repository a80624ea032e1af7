// The service as one Hono app over its ports: no globals, no runtime-specific
// imports, so the same core runs on Workers, Deno or Node.
import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { HttpError } from './errors.ts';
import type { Ports } from './ports.ts';
import type { AppEnv } from './http/context.ts';
import { renderError } from './http/errors.ts';
import { limitBody, requestContext } from './http/middleware.ts';
import { healthRoutes } from './health.ts';
import { discoveryRoutes } from './discovery.ts';
import { jwksRoutes } from './keys/jwks.ts';
import { adminKeyRoutes } from './admin/keys.ts';
import { enrolmentRoutes } from './admin/enrolments.ts';
import { adminAuditRoutes } from './admin/audit.ts';
import { adminUnlockRoutes } from './admin/unlock.ts';
import { adminAuthenticatorRoutes } from './admin/authenticators.ts';
import { createRateLimits } from './limits/rate-limits.ts';
import { clientCors, publicCors } from './http/cors.ts';
import { registrationRoutes } from './clients/registration.ts';
import { scimRoutes } from './scim/routes.ts';
import { tokenRoutes } from './oauth/token.ts';
import { userinfoRoutes } from './oauth/userinfo.ts';
import { introspectionRoutes } from './oauth/introspection.ts';
import { revocationRoutes } from './oauth/revocation.ts';
import { authorizeRoutes } from './oauth/authorize.ts';
import { parRoutes } from './oauth/par.ts';
import { sessionRoutes } from './session/routes.ts';
import { authenticatorPageRoutes } from './authenticators/routes.ts';
import { endSessionRoutes } from './logout/end-session.ts';
import { enrolmentPageRoutes } from './enrolment/routes.ts';
import { assetRoutes } from './pages/assets.ts';
import { routedPath } from './http/cis2-paths.ts';
import { serviceInfoRoutes } from './pages/service-info.tsx';
import { deviceAuthorizationRoutes } from './device/device-authorization-endpoint.ts';
import { devicePageRoutes } from './device/device-routes.ts';
import { consoleRoutes } from './console/routes.ts';
import { ADMIN, CONSOLE, DEVICE, ENROL, OAUTH, SCIM, SIGN_IN, WEBAUTHN } from './paths.ts';

export function createApp(ports: Ports): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ getPath: routedPath });
  app.use('*', async (c, next) => {
    c.set('ports', ports);
    await next();
  });
  app.use('*', requestContext);
  app.use('*', limitBody);
  // CONTRACT §6: browser applications call these directly; answered before the rate limits so a preflight costs nothing.
  for (const path of [OAUTH.token, OAUTH.revoke, OAUTH.introspect]) app.use(path, clientCors);
  app.use(OAUTH.userinfo, publicCors);
  // docs/assurance.md "Lockout and rate limits": per-address (and for tokens per-client) limits, in front of the endpoints.
  const limits = createRateLimits(ports);
  app.use(OAUTH.token, limits.token);
  // RFC 8628 §3.1 authenticates clients as the token endpoint does, and is limited alike.
  app.use(OAUTH.deviceAuthorization, limits.token);
  app.use(OAUTH.par, limits.token);
  app.use('*', limits.sessionOpening);
  // Hono's '/x/*' also matches '/x' itself.
  app.use(`${OAUTH.register}/*`, limits.perAddress('registration'));
  app.use(`${SCIM.mount}/*`, limits.perAddress('scim'));
  // RFC 8628 §5.1: the verification page, where user codes could be guessed, with the sign-in pages.
  for (const path of [`${WEBAUTHN.prefix}/*`, SIGN_IN.password, `${ENROL.prefix}/*`, `${DEVICE.verification}/*`]) app.use(path, limits.perAddress('webauthn'));
  // RFC 9110 §15.5.6: a known path asked with a method it does not take is a 405
  // whose Allow lists the path's routes (HEAD wherever GET is). Innermost, so the
  // CORS and security headers of the middleware above land on the 405 as well.
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => renderError(new HttpError(405, `use ${methods.join(' or ')}`, { Allow: methods.join(', ') }), c),
    }),
  );
  // Routers with no middleware of their own register full paths from src/paths.ts; the admin, SCIM
  // and console routers are mounted under their prefix so that their '*' middleware stays there.
  app.route('/', healthRoutes);
  app.route('/', discoveryRoutes);
  app.route('/', jwksRoutes);
  app.route('/', registrationRoutes);
  app.route(ADMIN.mount, adminKeyRoutes);
  app.route(ADMIN.mount, enrolmentRoutes);
  app.route(ADMIN.mount, adminUnlockRoutes);
  app.route(ADMIN.mount, adminAuditRoutes);
  app.route(ADMIN.mount, adminAuthenticatorRoutes);
  app.route(SCIM.mount, scimRoutes);
  app.route('/', tokenRoutes);
  app.route('/', userinfoRoutes);
  app.route('/', introspectionRoutes);
  app.route('/', revocationRoutes);
  app.route('/', parRoutes);
  app.route('/', authorizeRoutes);
  app.route('/', sessionRoutes);
  app.route('/', authenticatorPageRoutes);
  app.route('/', endSessionRoutes);
  app.route('/', enrolmentPageRoutes);
  app.route('/', assetRoutes);
  app.route('/', serviceInfoRoutes);
  app.route('/', deviceAuthorizationRoutes);
  app.route('/', devicePageRoutes);
  app.route(CONSOLE.mount, consoleRoutes);
  app.notFound((c) => renderError(new HttpError(404, 'no such endpoint'), c));
  app.onError(renderError);
  return app;
}
