// The operator console under /console: sign-in (unguarded), then every other
// route behind the operator guard (operator-guard.ts). A view is a
// `new Hono<ConsoleEnv>()` route group mounted on `guarded` below, its paths in
// CONSOLE (src/paths.ts), its nav entry in nav.ts; its handlers read
// c.var.operator and c.var.csrfToken, render with ConsoleLayout and audit changes with auditConsoleAction.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { HttpError, ServiceError } from '../errors.ts';
import { renderError } from '../http/errors.ts';
import { renderErrorPage } from '../pages/error.tsx';
import { endSession } from '../logout/session-logout.ts';
import { page } from '../session/page-errors.ts';
import { auditConsoleAction } from './console-audit.ts';
import type { ConsoleEnv } from './context.ts';
import { clearConsoleCookie, readConsoleSession, requireOperator } from './operator-guard.ts';
import { operatorSignInRoutes } from './operator-sign-in.ts';
import { renderSignedOut } from './refusal-page.tsx';
import { peopleRoutes } from './people/routes.tsx';
import { applicationRoutes } from './applications/routes.ts';
import { keyRoutes } from './keys/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { overviewRoutes } from './overview/routes.ts';
import { CONSOLE, under } from '../paths.ts';

// Signing in and the signed-out page are open, whatever the method (a wrong one is
// a 405 without a session, as before); every other console path is behind the guard.
const OPEN_PATHS: ReadonlySet<string> = new Set([CONSOLE.login, CONSOLE.callback, CONSOLE.signedOut]);

// The views register their public paths as seen from the console's mount (src/paths.ts).
const guarded = new Hono<ConsoleEnv>()
  .use('*', (c, next) => (OPEN_PATHS.has(c.req.path) ? next() : requireOperator(c, next)))
  .get('/', (c) => c.redirect(CONSOLE.people, 303))
  // Signing out of the console signs the operator out of the service too: the
  // single sign-on session the console's grant rests on ends (and with it any
  // grant made in it), so the next visit asks for the passkey again.
  .post(under(CONSOLE.mount, CONSOLE.logout), async (c) => {
    const session = await readConsoleSession(c);
    const grant = session ? await c.var.ports.grants.findGrant(session.grantId) : null;
    if (grant) await endSession(c.var.ports, grant.sessionId, { reason: 'logout', subject: c.var.operator.uid });
    await auditConsoleAction(c, { action: 'console.sign_out', subject: c.var.operator.personId });
    clearConsoleCookie(c);
    return c.redirect(CONSOLE.signedOut, 303);
  })
  .route('/', peopleRoutes)
  .route('/', applicationRoutes)
  .route('/', keyRoutes)
  .route('/', auditRoutes)
  .route('/', overviewRoutes);

const JSON_STATUSES = [405, 413, 429];

// Console errors are pages: a bad form or an unknown page gets the error page. As on the
// other pages, 405 (with its Allow header), 413 and 429 keep the service's JSON answer.
const renderConsoleError = (err: Error, c: Context<AppEnv>) =>
  err instanceof ServiceError && err.status < 500 && !JSON_STATUSES.includes(err.status) ? renderErrorPage(c, err) : renderError(err, c);

// Sign-in routes first: Hono runs handlers in the order they were added.
export const consoleRoutes = new Hono<AppEnv>()
  .route('/', operatorSignInRoutes)
  .get(under(CONSOLE.mount, CONSOLE.signedOut), page(async (c) => renderSignedOut(c)))
  .route('/', guarded as unknown as Hono<AppEnv>)
  // Past the guard, a console path that names no page is a 404 page. It is answered,
  // not thrown, so that the app's method-not-allowed middleware (src/app.ts) sees a
  // plain 404 and turns it into a 405 with the Allow header computed from the routes
  // when the path is known but the method is not (RFC 9110 §15.5.6).
  .all('*', (c) => renderConsoleError(new HttpError(404, 'there is no such console page'), c))
  .onError(renderConsoleError);
