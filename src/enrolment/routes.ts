// GET /enrol/{code}: the page an enrolment invitation's `url` opens (contract §5),
// and the JSON API the page calls to register a passkey.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { renderPage } from '../pages/layout.tsx';
import { registrationRoutes } from '../webauthn/registration-routes.ts';
import { authenticatorAppRoutes, renderEnrolPage } from './authenticator-app-routes.tsx';
import { invitationStatus } from '../directory/credentials/invitation-status.ts';
import { invitationProblemStatus, InvitationProblemPage } from './page.tsx';
import { ENROL } from '../paths.ts';

export const enrolmentPageRoutes = new Hono<AppEnv>()
  .get(ENROL.invitation, async (c) => {
    const { db, now } = c.var.ports;
    const code = c.req.param('code');
    // Looking does not spend the code: only a verified passkey does.
    const status = await invitationStatus(db, code, now());
    if (status.state !== 'valid') {
      return renderPage(c, InvitationProblemPage({ problem: status.state }), invitationProblemStatus(status.state));
    }
    return renderEnrolPage(c, { code, invitationId: status.invitationId, invitee: status.invitee });
  })
  .route('/', registrationRoutes)
  .route('/', authenticatorAppRoutes);
