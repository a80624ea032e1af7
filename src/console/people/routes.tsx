// /console/people: search, each person's page, and the operator's actions on
// it. Each action calls the same function as the JSON admin API behind it
// (revokeAuthenticator, endSession, unlockPerson, createInvitation) and is
// audited in the operator's name; the page then says what happened.
import { Hono } from 'hono';
import { z } from 'zod';
import { revokeAuthenticator } from '../../authenticators/revocation.ts';
import { forgetPersonObject, personObjects } from '../../directory/person-index.ts';
import { createInvitation } from '../../directory/credentials/invitations.ts';
import { readForm } from '../../http/body.ts';
import { unlockPerson } from '../../limits/lockout.ts';
import { endSession } from '../../logout/session-logout.ts';
import { renderPage } from '../../pages/layout.tsx';
import { CSRF_FIELD } from '../../session/csrf.ts';
import { auditConsoleAction } from '../console-audit.ts';
import type { ConsoleContext, ConsoleEnv } from '../context.ts';
import { ConsoleLayout, layoutProps } from '../layout.tsx';
import { InvitationPage } from './invitation-page.tsx';
import { searchPeople } from '../../directory/person-search.ts';
import { PersonPage, personPath } from './person-page.tsx';
import { loadPersonView } from './person-view.ts';
import { PeopleSearchPage } from './search-page.tsx';
import { CONSOLE, under } from '../../paths.ts';

const STATUS: Record<string, string> = {
  revoked: 'The sign-in method has been revoked. It can no longer sign anyone in, and the sessions it signed in have ended.',
  ended: 'The session has ended.',
  unlocked: 'The person has been unlocked on every sign-in method.',
};

const personId = (c: ConsoleContext) => c.req.param('id') ?? '';

function notFound(c: ConsoleContext) {
  const page = (
    <ConsoleLayout title="Person not found" {...layoutProps(c)} section={CONSOLE.people}>
      <h1>Person not found</h1>
      <p>
        Nobody in the directory has this id. <a href={CONSOLE.people}>Search for people</a>.
      </p>
    </ConsoleLayout>
  );
  return renderPage(c, page, 404);
}

async function showPerson(c: ConsoleContext, options: { status?: string; error?: string } = {}) {
  const view = await loadPersonView(c.var.ports, personId(c));
  if (!view) return notFound(c);
  return renderPage(c, PersonPage({ ...layoutProps(c), view, ...options }), options.error ? 400 : 200);
}

const done = (c: ConsoleContext, what: keyof typeof STATUS) => c.redirect(`${personPath(personId(c))}?done=${what}`, 303);

// The actions' forms; the guard has already checked the CSRF token.
const plainForm = z.object({ [CSRF_FIELD]: z.string() });
const authenticatorForm = plainForm.extend({ id: z.string().min(1).max(1024) });
const sessionForm = plainForm.extend({ session: z.string().min(1).max(128) });

export const peopleRoutes = new Hono<ConsoleEnv>()
  .get(under(CONSOLE.mount, CONSOLE.people), async (c) => {
    const raw = c.req.query('q');
    const query = (raw ?? '').slice(0, 128).trim();
    const results = raw === undefined ? null : await searchPeople(c.var.ports.db, query);
    return renderPage(c, PeopleSearchPage({ ...layoutProps(c), query, results }));
  })
  .get(under(CONSOLE.mount, CONSOLE.person), (c) => showPerson(c, { status: STATUS[c.req.query('done') ?? ''] }))
  .post(under(CONSOLE.mount, CONSOLE.revokeAuthenticator), async (c) => {
    const { id } = await readForm(c, authenticatorForm);
    const view = await loadPersonView(c.var.ports, personId(c));
    if (!view) return notFound(c);
    const { person } = view;
    const revoked = await revokeAuthenticator(c.var.ports, { person: { id: person.id, uid: person.uid }, authenticatorId: id, actor: c.var.operator.personId, requestId: c.var.requestId });
    if (!revoked) return showPerson(c, { error: 'That sign-in method was not found: it may have been revoked already' });
    return done(c, 'revoked');
  })
  .post(under(CONSOLE.mount, CONSOLE.endSessions), async (c) => {
    const { session } = await readForm(c, sessionForm);
    const { ports } = c.var;
    // Only a session the index holds for this person: the console never ends a session by a guessed id.
    if (!(await personObjects(ports.db, personId(c), 'session', ports.now())).includes(session)) {
      return showPerson(c, { error: 'That session was not found: it may have ended already' });
    }
    const ended = await endSession(ports, session, { reason: 'logout' });
    await forgetPersonObject(ports.db, 'session', session);
    await auditConsoleAction(c, { action: 'session.end', subject: personId(c), details: { sessionId: session, wasLive: ended !== null } });
    return done(c, 'ended');
  })
  .post(under(CONSOLE.mount, CONSOLE.unlock), async (c) => {
    await readForm(c, plainForm);
    const view = await loadPersonView(c.var.ports, personId(c));
    if (!view) return notFound(c);
    const wasLocked = await unlockPerson(c.var.ports, view.person.id);
    await auditConsoleAction(c, { action: 'person.unlocked', subject: view.person.id, details: { wasLocked } });
    return done(c, 'unlocked');
  })
  .post(under(CONSOLE.mount, CONSOLE.invitations), async (c) => {
    await readForm(c, plainForm);
    const { ports } = c.var;
    const view = await loadPersonView(ports, personId(c));
    if (!view) return notFound(c);
    if (!view.person.active) return showPerson(c, { error: 'This person is deactivated, so they cannot be invited to enrol' });
    const invitation = await createInvitation(ports.db, { personId: view.person.id, ttlSeconds: ports.config.ttl.enrolment, createdBy: c.var.operator.personId, now: ports.now() });
    await auditConsoleAction(c, { action: 'enrolment.invite', subject: view.person.id, details: { invitationId: invitation.id, expiresAt: invitation.expiresAt } });
    const url = `${ports.config.issuer}/enrol/${invitation.code}`;
    return renderPage(c, InvitationPage({ ...layoutProps(c), person: view.person, url, expiresAt: invitation.expiresAt }));
  });
