// /console/applications: list, register (RFC 7591 validation and storage through
// client-lifecycle.ts), see one, rotate its secret, delete it. GET shows; each
// POST (CSRF-checked by the operator guard) changes and is audited in the
// operator's name. Secrets appear only in the response that made them.
import { Hono } from 'hono';
import { registerClient, removeClient, rotateClientSecret } from '../../clients/client-lifecycle.ts';
import { usesClientSecret } from '../../clients/client-metadata.ts';
import { listClients, selectClient, type StoredClient } from '../../clients/client-store.ts';
import { bodyText } from '../../http/body.ts';
import { renderPage } from '../../pages/layout.tsx';
import { CONSOLE_CLIENT_ID } from '../console-client.ts';
import type { ConsoleContext, ConsoleEnv } from '../context.ts';
import { layoutProps } from '../layout.tsx';
import { renderConsoleNotFound } from '../not-found-page.tsx';
import { operatorAuthor } from '../operator-author.ts';
import { EMPTY_APPLICATION_FORM, readApplicationForm, validateApplicationForm } from './application-form.ts';
import { ApplicationListPage, ApplicationPage } from './application-pages.tsx';
import { ConfirmApplicationActionPage } from './confirm-page.tsx';
import { ApplicationSecretsPage, RegisterApplicationPage } from './register-page.tsx';
import { CONSOLE, under } from '../../paths.ts';

/** More than any deployment registers by hand; the page says when the list stops. */
export const APPLICATION_LIST_LIMIT = 500;

const STATUS: Record<string, string> = { deleted: 'The application was deleted.' };

const notFound = (c: ConsoleContext) =>
  renderConsoleNotFound(c, 'Application', { href: CONSOLE.applications, text: 'All applications', section: CONSOLE.applications });

/** The client the path names, or null; the console's own is found but marked (console-client.ts keeps it). */
async function named(c: ConsoleContext): Promise<StoredClient | null> {
  const id = c.req.param('client_id') ?? '';
  return id.length > 0 && id.length <= 256 ? selectClient(c.var.ports.db, id) : null;
}

/** A changeable client: not the console's own, which the service restores whatever is done to it. */
async function changeable(c: ConsoleContext): Promise<StoredClient | null> {
  const client = await named(c);
  return client && client.clientId !== CONSOLE_CLIENT_ID ? client : null;
}

export const applicationRoutes = new Hono<ConsoleEnv>()
  .get(under(CONSOLE.mount, CONSOLE.applications), async (c) => {
    const clients = await listClients(c.var.ports.db, APPLICATION_LIST_LIMIT);
    const status = STATUS[c.req.query('done') ?? ''];
    return renderPage(c, ApplicationListPage({ ...layoutProps(c), clients, limit: APPLICATION_LIST_LIMIT, consoleClientId: CONSOLE_CLIENT_ID, status }));
  })
  .post(under(CONSOLE.mount, CONSOLE.applications), async (c) => {
    const values = readApplicationForm(new URLSearchParams(await bodyText(c)));
    const result = validateApplicationForm(values, c.var.ports.config.issuer);
    if (!result.ok) return renderPage(c, RegisterApplicationPage({ ...layoutProps(c), values, errors: result.errors }), 400);
    const { client, clientSecret, registrationAccessToken } = await registerClient(c.var.ports, result.metadata, operatorAuthor(c));
    return renderPage(c, ApplicationSecretsPage({ ...layoutProps(c), client, heading: 'Application registered', clientSecret, registrationAccessToken }), 201);
  })
  .get(under(CONSOLE.mount, CONSOLE.newApplication), (c) => renderPage(c, RegisterApplicationPage({ ...layoutProps(c), values: EMPTY_APPLICATION_FORM, errors: [] })))
  .get(under(CONSOLE.mount, CONSOLE.application), async (c) => {
    const client = await named(c);
    if (!client) return notFound(c);
    return renderPage(c, ApplicationPage({ ...layoutProps(c), client, isConsole: client.clientId === CONSOLE_CLIENT_ID }));
  })
  .get(under(CONSOLE.mount, CONSOLE.rotateSecret), async (c) => {
    const client = await changeable(c);
    if (!client || !usesClientSecret(client.metadata.token_endpoint_auth_method)) return notFound(c);
    return renderPage(c, ConfirmApplicationActionPage({ ...layoutProps(c), client, action: 'rotate-secret' }));
  })
  .post(under(CONSOLE.mount, CONSOLE.rotateSecret), async (c) => {
    const client = await changeable(c);
    if (!client || !usesClientSecret(client.metadata.token_endpoint_auth_method)) return notFound(c);
    const rotated = await rotateClientSecret(c.var.ports, client, operatorAuthor(c));
    if (!rotated) return notFound(c);
    return renderPage(c, ApplicationSecretsPage({ ...layoutProps(c), client: rotated.client, heading: 'Client secret rotated', clientSecret: rotated.clientSecret }));
  })
  .get(under(CONSOLE.mount, CONSOLE.deleteApplication), async (c) => {
    const client = await changeable(c);
    if (!client) return notFound(c);
    return renderPage(c, ConfirmApplicationActionPage({ ...layoutProps(c), client, action: 'delete' }));
  })
  .post(under(CONSOLE.mount, CONSOLE.deleteApplication), async (c) => {
    const client = await changeable(c);
    if (!client || !(await removeClient(c.var.ports, client, operatorAuthor(c)))) return notFound(c);
    // Post/redirect/get: a reload of the list does not send the form again.
    return c.redirect(`${CONSOLE.applications}?done=deleted`, 303);
  });

