// GET|POST /select-role?interaction=… (contract §6, §8): the person picks the
// role they act in; the choice is kept in the session and the request resumes.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findCachedClient } from '../clients/client-cache.ts';
import type { Person } from '../directory/people.ts';
import { findCachedPerson } from '../directory/person-cache.ts';
import { OAuthError } from '../errors.ts';
import type { AppEnv } from '../http/context.ts';
import { readForm } from '../http/body.ts';
import { OAUTH, SIGN_IN } from '../paths.ts';
import { cspAllowingFormRedirectTo, renderPage } from '../pages/layout.tsx';
import { formActionSource } from '../oauth/authorization-response.ts';
import { RoleChoicePage } from '../pages/role-choice.tsx';
import { sessionHandle } from './browser-session.ts';
import { checkCsrfToken, CSRF_FIELD } from './csrf.ts';
import { expiredInteraction, page } from './page-errors.ts';
import type { PendingInteraction, Session } from './session-store.ts';

interface Choosing {
  handle: string;
  session: Session;
  interaction: PendingInteraction;
  person: Person;
}

/** The pending request and the signed-in, still active person choosing for it. */
async function choosing(c: Context<AppEnv>): Promise<Choosing> {
  const { sessions, db, now } = c.var.ports;
  const handle = sessionHandle(c);
  const id = c.req.query('interaction') ?? '';
  const found = handle ? await sessions.interaction(handle, id, now()) : null;
  const personId = found?.session.authentication?.personId;
  const person = personId ? await findCachedPerson(db, personId, now()) : null;
  if (!handle || !found || !person?.active) throw expiredInteraction();
  return { handle, ...found, person };
}

const resumeUrl = (id: string) => `${OAUTH.authorizeResume}?interaction=${id}`;

/** The search the list is narrowed by (contract §8: more than five roles add a search). */
const searchOf = (c: Context<AppEnv>) => (c.req.query('q') ?? '').slice(0, 200);

async function show(c: Context<AppEnv>, state: Choosing, error?: string, status = 200): Promise<Response> {
  const client = await findCachedClient(c.var.ports.db, state.interaction.request.clientId, c.var.ports.now());
  const search = searchOf(c);
  const query = new URLSearchParams({ interaction: state.interaction.id, ...(search ? { q: search } : {}) });
  return renderPage(
    c,
    RoleChoicePage({
      // The choice keeps the search, so an unanswered submit shows the same list again.
      action: `${SIGN_IN.selectRole}?${query}`,
      searchAction: SIGN_IN.selectRole,
      interactionId: state.interaction.id,
      search,
      roles: state.person.roles,
      csrfToken: state.session.csrfToken,
      clientName: client?.metadata.client_name,
      error,
    }),
    status,
    // Continue ends, through /authorize/resume, in a redirect to the client.
    cspAllowingFormRedirectTo(formActionSource(state.interaction.request.redirectUri)),
  );
}

const choiceForm = z.looseObject({ [CSRF_FIELD]: z.string().max(256).optional(), role: z.string().max(256).optional() });

export const roleChoiceRoutes = new Hono<AppEnv>()
  .get(
    SIGN_IN.selectRole,
    page(async (c) => {
      const state = await choosing(c);
      // Nothing to choose between: the authorization flow decides without a page.
      if (state.person.roles.length < 2) return c.redirect(resumeUrl(state.interaction.id), 303);
      return show(c, state);
    }),
  )
  .post(
    SIGN_IN.selectRole,
    page(async (c) => {
      const state = await choosing(c);
      const form = await readForm(c, choiceForm, { invalid: (d) => new OAuthError('invalid_request', d) });
      checkCsrfToken(form[CSRF_FIELD], state.session.csrfToken);
      const role = state.person.roles.find((r) => r.id === form.role);
      if (!role) return show(c, state, 'Select the role you will act in', 400);
      const { ports } = c.var;
      await ports.sessions.chooseRole(state.handle, state.interaction.id, role.id, ports.now());
      // Must-write (src/audit.ts): the role a person acts in is what the clinical system trusts.
      await ports.audit.record({
        actor: state.person.id,
        action: 'role.choose',
        subject: state.person.id,
        clientId: state.interaction.request.clientId,
        outcome: 'success',
        details: { roleId: role.id, roleCode: role.roleCode, orgCode: role.orgCode, sessionId: state.session.id },
        requestId: c.var.requestId,
      });
      return c.redirect(resumeUrl(state.interaction.id), 303);
    }),
  );
