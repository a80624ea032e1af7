// The page where a signed-in person manages their own authenticators (CONTRACT
// §10, NIST SP 800-63B §6.2). Changes need a session still within the AAL2
// inactivity limit (§4.2.3); a removal ends the sessions the removed one signed in.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findPersonRef } from '../directory/person-lookups.ts';
import { createInvitation } from '../directory/credentials/invitations.ts';
import { readForm } from '../http/body.ts';
import type { AppEnv } from '../http/context.ts';
import { AuthenticatorsPage } from '../pages/authenticators.tsx';
import { ENROL, pathTo, SIGN_IN } from '../paths.ts';
import { renderPage } from '../pages/layout.tsx';
import { currentSession } from '../session/browser-session.ts';
import { checkCsrfToken, CSRF_FIELD } from '../session/csrf.ts';
import { page } from '../session/page-errors.ts';
import { listAuthenticators, renamePasskey } from '../directory/credentials/authenticators.ts';
import { revokeAuthenticator } from './revocation.ts';

/** An invitation to add a passkey from this page is used at once. */
const ADD_INVITATION_TTL_SECONDS = 10 * 60;

const STATUS: Record<string, string> = {
  renamed: 'The sign-in method has been renamed.',
  removed: 'The sign-in method has been removed. It can no longer be used to sign in.',
};

interface Owner {
  person: { id: string; uid: string };
  csrfToken: string;
}

/** The signed-in, active, recently active person; null sends them to sign in. */
async function owner(c: Context<AppEnv>): Promise<Owner | null> {
  const { db, config, now } = c.var.ports;
  const browser = await currentSession(c);
  const auth = browser?.session.authentication;
  if (!browser || !auth) return null;
  // NIST SP 800-63B §4.2.3: after the AAL2 inactivity limit, authenticate again first.
  if (now() - browser.session.lastActiveAt >= config.ttl.sessionIdleAal2 * 1000) return null;
  const person = await findPersonRef(db, auth.personId);
  return person?.active ? { person: { id: person.id, uid: person.uid }, csrfToken: browser.session.csrfToken } : null;
}

async function show(c: Context<AppEnv>, who: Owner, error?: string): Promise<Response> {
  const authenticators = await listAuthenticators(c.var.ports.db, who.person.id);
  const status = STATUS[c.req.query('done') ?? ''];
  c.header('Cache-Control', 'no-store');
  return renderPage(c, AuthenticatorsPage({ authenticators, csrfToken: who.csrfToken, status, error }), error ? 400 : 200);
}

const form = z.object({ [CSRF_FIELD]: z.string().max(128), id: z.string().min(1).max(1024).optional(), name: z.string().max(256).optional() });

/** A POST from the page: its owner, with the CSRF token checked. */
async function posted(c: Context<AppEnv>): Promise<{ who: Owner; fields: z.output<typeof form> } | null> {
  const fields = await readForm(c, form);
  const who = await owner(c);
  if (!who) return null;
  checkCsrfToken(fields[CSRF_FIELD], who.csrfToken);
  return { who, fields };
}

const signIn = (c: Context<AppEnv>) => c.redirect(SIGN_IN.signIn, 303);
const done = (c: Context<AppEnv>, what: string) => c.redirect(`${SIGN_IN.authenticators}?done=${what}`, 303);

export const authenticatorPageRoutes = new Hono<AppEnv>()
  .get(SIGN_IN.authenticators, page(async (c) => {
    const who = await owner(c);
    return who ? show(c, who) : signIn(c);
  }))
  .post(SIGN_IN.renameAuthenticator, page(async (c) => {
    const p = await posted(c);
    if (!p) return signIn(c);
    const name = (p.fields.name ?? '').trim();
    if (name.length === 0 || name.length > 64) return show(c, p.who, 'Enter a name of 1 to 64 characters');
    if (!p.fields.id || !(await renamePasskey(c.var.ports.db, p.who.person.id, p.fields.id, name))) return show(c, p.who, 'That sign-in method was not found');
    return done(c, 'renamed');
  }))
  .post(SIGN_IN.removeAuthenticator, page(async (c) => {
    const p = await posted(c);
    if (!p) return signIn(c);
    const { db } = c.var.ports;
    // Never the last one: only an operator may leave a person with none (they enrol again by invitation).
    if ((await listAuthenticators(db, p.who.person.id)).length <= 1) {
      return show(c, p.who, 'You cannot remove your only sign-in method. Add another first, or ask your administrator');
    }
    const authenticatorId = p.fields.id ?? '';
    const removed = await revokeAuthenticator(c.var.ports, { person: p.who.person, authenticatorId, actor: p.who.person.id, requestId: c.var.requestId });
    if (!removed) return show(c, p.who, 'That sign-in method was not found');
    return done(c, 'removed');
  }))
  .post(SIGN_IN.addAuthenticator, page(async (c) => {
    const p = await posted(c);
    if (!p) return signIn(c);
    const { db, audit, now } = c.var.ports;
    // The existing enrolment ceremony, with a short invitation made for this person alone.
    const invitation = await createInvitation(db, { personId: p.who.person.id, ttlSeconds: ADD_INVITATION_TTL_SECONDS, createdBy: p.who.person.id, now: now() });
    await audit.record({
      actor: p.who.person.id,
      action: 'enrolment.invite',
      subject: p.who.person.id,
      outcome: 'success',
      details: { invitationId: invitation.id, expiresAt: invitation.expiresAt, selfService: true },
      requestId: c.var.requestId,
    });
    return c.redirect(pathTo(ENROL.invitation, { code: invitation.code }), 303);
  }));

