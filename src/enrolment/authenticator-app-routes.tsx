// POST /enrol/{code}/authenticator-app: confirm an authenticator app with a code.
// POST /enrol/{code}/finish: spend the invitation after setting up only the app.
// Both are plain forms (no script), guarded by the invitation's form token, not
// by Origin: under Referrer-Policy no-referrer browsers send `Origin: null` with forms.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/context.ts';
import { readForm } from '../http/body.ts';
import { Page, renderPage } from '../pages/layout.tsx';
import { HttpError, OAuthError } from '../errors.ts';
import { page } from '../session/page-errors.ts';
import { appSetupView, confirmApp, setupFormTokenMatches, APP_CODE_FIELD, SETUP_TOKEN_FIELD, type ValidInvitation } from './authenticator-app.ts';
import { invitationStatus } from '../directory/credentials/invitation-status.ts';
import { spendInvitation } from '../directory/credentials/invitations.ts';
import { EnrolPage, invitationProblemStatus, InvitationProblemPage } from './page.tsx';
import { ENROL } from '../paths.ts';

const form = z.looseObject({ [SETUP_TOKEN_FIELD]: z.string().max(256).optional(), [APP_CODE_FIELD]: z.string().max(32).optional() });

const refused = () => new HttpError(403, 'the form has expired; reload the invitation page and try again');

/** The invitation in the path and the checked form, or the page that says why not. */
async function openForm(c: Context<AppEnv>): Promise<{ invitation: ValidInvitation; fields: z.output<typeof form> } | Response> {
  const code = c.req.param('code')!;
  const status = await invitationStatus(c.var.ports.db, code, c.var.ports.now());
  if (status.state !== 'valid') return renderPage(c, InvitationProblemPage({ problem: status.state }), invitationProblemStatus(status.state));
  const fields = await readForm(c, form);
  if (!(await setupFormTokenMatches(c, status.invitationId, fields[SETUP_TOKEN_FIELD]))) throw refused();
  return { invitation: { code, invitationId: status.invitationId, invitee: status.invitee }, fields };
}

export async function renderEnrolPage(c: Context<AppEnv>, invitation: ValidInvitation, extra: { status?: string; error?: string } = {}, httpStatus = 200) {
  const app = await appSetupView(c, invitation, extra.error);
  return renderPage(c, EnrolPage({ givenName: invitation.invitee.givenName, code: invitation.code, app, ...extra }), httpStatus);
}

const SET_UP = 'Your authenticator app is set up. You can sign in with your password and a code from the app.';

export const authenticatorAppRoutes = new Hono<AppEnv>()
  .post(ENROL.authenticatorApp, page(async (c) => {
    const opened = await openForm(c);
    if (opened instanceof Response) return opened;
    const code = opened.fields[APP_CODE_FIELD] ?? '';
    const outcome = await confirmApp(c, opened.invitation, code);
    if (outcome === 'wrong_code') {
      const error = /^\s*\d{6}\s*$/.test(code) ? 'The code is not right: enter the code the app shows now' : 'Enter the 6-digit code the app shows';
      return renderEnrolPage(c, opened.invitation, { error }, 400);
    }
    return renderEnrolPage(c, opened.invitation, { status: SET_UP });
  }))
  .post(ENROL.finish, page(async (c) => {
    const opened = await openForm(c);
    if (opened instanceof Response) return opened;
    const { db, audit, now } = c.var.ports;
    await spendInvitation(db, opened.invitation.code, now());
    const personId = opened.invitation.invitee.personId;
    await audit.record({
      actor: personId,
      action: 'enrolment.finish',
      subject: personId,
      outcome: 'success',
      details: { invitationId: opened.invitation.invitationId },
      requestId: c.var.requestId,
    });
    return renderPage(
      c,
      <Page title="Your authenticator app is ready">
        <h1 class="nhsuk-heading-xl">Your authenticator app is ready</h1>
        <p class="nhsuk-body" role="status">
          Your invitation has been used and no longer works. You can now sign in.
        </p>
        <h2>What to do next</h2>
        <p class="nhsuk-body">
          Return to the application you were using and sign in with your username, your password and a code from the
          app. You can close this page.
        </p>
      </Page>,
    );
  }));
