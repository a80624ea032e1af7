// The operator console under /console: sign-in (unguarded), then every other
// route behind the operator guard (operator-guard.ts). A view is a
// `new Hono<ConsoleEnv>()` route group mounted on `guarded` below, with its nav
// entry in nav.ts; its handlers read c.var.operator and c.var.csrfToken, render
// with ConsoleLayout and audit changes with auditConsoleAction.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { HttpError, ServiceError } from '../errors.ts';
import { methodNotAllowed, renderError } from '../http/errors.ts';
import { renderErrorPage } from '../pages/error.tsx';
import { endSession } from '../logout/session-logout.ts';
import { page } from '../session/page-errors.ts';
import { auditConsoleAction } from './console-audit.ts';
import type { ConsoleEnv } from './context.ts';
import { clearConsoleCookie, readConsoleSession, requireOperator } from './operator-guard.ts';
import { operatorSignInRoutes } from './operator-sign-in.ts';
import { renderSignedOut } from './refusal-page.tsx';
import { peopleRoutes } from './people/routes.tsx';

const guarded = new Hono<ConsoleEnv>()
  .use('*', requireOperator)
  .get('/', (c) => c.redirect('/console/people', 303))
  // Signing out of the console signs the operator out of the service too: the
  // single sign-on session the console's grant rests on ends (and with it any
  // grant made in it), so the next visit asks for the passkey again.
  .post('/logout', async (c) => {
    const session = await readConsoleSession(c);
    const grant = session ? await c.var.ports.grants.findGrant(session.grantId) : null;
    if (grant) await endSession(c.var.ports, grant.sessionId, { reason: 'logout', subject: c.var.operator.uid });
    await auditConsoleAction(c, { action: 'console.sign_out', subject: c.var.operator.personId });
    clearConsoleCookie(c);
    return c.redirect('/console/signed-out', 303);
  })
  .all('/logout', methodNotAllowed(['POST']))
  .route('/people', peopleRoutes);

const JSON_STATUSES = [405, 413, 429];

// Sign-in routes first: Hono runs handlers in the order they were added, so
// the guard's '*' (under /console) never stands in front of signing in.
export const consoleRoutes = new Hono<AppEnv>()
  .route('/', operatorSignInRoutes)
  .get('/signed-out', page(async (c) => renderSignedOut(c)))
  .route('/', guarded as unknown as Hono<AppEnv>)
  // Past the guard, a console path that names no page is a 404 page.
  .all('*', () => {
    throw new HttpError(404, 'there is no such console page');
  })
  // Console errors are pages: a bad form or an unknown page gets the error page. As on the
  // other pages, 405 (with its Allow header), 413 and 429 keep the service's JSON answer.
  .onError((err, c) => (err instanceof ServiceError && err.status < 500 && !JSON_STATUSES.includes(err.status) ? renderErrorPage(c, err) : renderError(err, c)));
