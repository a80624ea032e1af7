// Applications in the console: the list, registration through the same RFC 7591
// validation and storage as POST /register, a client's metadata, secret
// rotation (shown once) and deletion (its tokens end, as with RFC 7592 DELETE),
// each POST behind the CSRF token and audited in the operator's name.
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CLIENT_ID } from '../../../src/console/console-client.ts';
import { registerWebClient, type TestClient } from '../../support/worker/client-auth.ts';
import type { Browser } from '../../support/worker/browser.ts';
import { callConfiguration } from '../../support/worker/clients.ts';
import { signedInOperator } from '../../support/worker/console.ts';
import { adminCall } from '../../support/worker/requests.ts';
import { auditEventsFor, createUser } from '../../support/worker/scim.ts';
import { postForm, refresh, signIn, userinfo } from '../../support/worker/tokens.ts';
import type { EnrolledPasskey } from '../../support/webauthn/enrolment.ts';

let operator: EnrolledPasskey;
let browser: Browser;
let csrf: string;

beforeAll(async () => {
  ({ operator, browser, csrf } = await signedInOperator('/console/applications'));
});

const html = async (res: Response) => ({ status: res.status, text: await res.text() });
const secretOn = (page: string, name: string) => new RegExp(`data-secret="${name}">([^<]+)<`).exec(page)?.[1];
const clientIdOn = (page: string) => /Client ID<\/dt><dd[^>]*><code>([^<]+)</.exec(page)?.[1];

const registration = {
  client_name: 'Ward rota',
  redirect_uris: 'https://rota.example.nhs.uk/callback\r\nhttps://rota.example.nhs.uk/second',
  post_logout_redirect_uris: '',
  token_endpoint_auth_method: 'client_secret_basic',
  jwks_uri: '',
  scope: 'openid profile',
  require_pkce: 'yes',
};

/** Posts the registration form; grant_types repeats, as checkboxes send it. */
function register(fields: Record<string, string>, grants = ['authorization_code', 'refresh_token'], token = csrf): Promise<Response> {
  const body = new URLSearchParams({ csrf_token: token, ...fields });
  for (const g of grants) body.append('grant_types', g);
  return browser.fetch('/console/applications', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

describe('the application list', () => {
  it('lists registered clients with their name, client ID and authentication method, and marks the console itself', async () => {
    const client = await registerWebClient({ client_name: 'Listed <b>RP</b>' });
    const page = await html(await browser.fetch('/console/applications'));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<a href="/console/applications/${client.client_id}">Listed &lt;b&gt;RP&lt;/b&gt;</a>`);
    expect(page.text).toContain(`<code>${client.client_id}</code>`);
    expect(page.text).toMatch(/<a [^>]*href="\/console\/applications" aria-current="page"/);
    expect(page.text).toContain('(this console)');
  });

  it("shows one client's metadata by its RFC 7591 names, and a 404 page for an unknown one", async () => {
    const client = await registerWebClient({ client_name: 'Detail RP', require_pkce: false });
    const page = await html(await browser.fetch(`/console/applications/${client.client_id}`));
    expect(page.status).toBe(200);
    expect(page.text).toContain('https://rp.example.com/callback');
    expect(page.text).toMatch(/PKCE required \(require_pkce\)<\/dt><dd[^>]*>No</);
    expect(page.text).toContain('Set (only its hash is stored)');
    expect(page.text).not.toContain(client.client_secret!);
    expect((await browser.fetch('/console/applications/no-such-client')).status).toBe(404);
  });
});

describe('registering an application (RFC 7591 §2, §3.2)', () => {
  it('registers with the operator choices, shows the secret and registration access token once, and audits it as the operator', async () => {
    const page = await html(await register(registration));
    expect(page.status).toBe(201);
    expect(page.text).toContain('Application registered');
    const clientId = clientIdOn(page.text)!;
    const secret = secretOn(page.text, 'client_secret')!;
    const registrationToken = secretOn(page.text, 'registration_access_token')!;
    expect(secret).toMatch(/^[\w-]{43}$/);
    // The stored client is what POST /register would have stored for the same request.
    const stored = await adminCall(`/register/${clientId}`);
    expect(await stored.json()).toMatchObject({
      client_name: 'Ward rota',
      redirect_uris: ['https://rota.example.nhs.uk/callback', 'https://rota.example.nhs.uk/second'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid profile',
      require_pkce: true,
    });
    // The registration access token works at RFC 7592's endpoint; the page after shows neither secret.
    const client = { client_id: clientId, registration_client_uri: `http://x/register/${clientId}`, registration_access_token: registrationToken } as TestClient;
    expect((await callConfiguration(client)).status).toBe(200);
    expect(await (await browser.fetch(`/console/applications/${clientId}`)).text()).not.toContain(secret);
    const [event] = (await auditEventsFor(clientId)).filter((e) => e.action === 'client.register');
    expect(event).toMatchObject({ actor: operator.person.id, outcome: 'success', details: { via: 'console', operatorUid: expect.stringMatching(/^\d{12}$/), client_name: 'Ward rota' } });
  });

  it.each([
    ['a plain http redirect URI', { redirect_uris: 'http://rota.example.nhs.uk/callback' }, undefined, 'redirect_uris'],
    ['no redirect URI for the code flow', { redirect_uris: '' }, undefined, 'redirect_uris'],
    ['a public client without PKCE (RFC 9700 §2.1.1)', { token_endpoint_auth_method: 'none', require_pkce: 'no' }, undefined, 'require_pkce'],
    ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt' }, undefined, 'token_endpoint_auth_method'],
    ['refresh tokens without a grant that issues them', {}, ['client_credentials', 'refresh_token'], 'grant_types'],
    ['an unknown authentication method', { token_endpoint_auth_method: 'tls_client_auth' }, undefined, 'token_endpoint_auth_method'],
    ['a scope that is not scope tokens', { scope: 'openid "profile"' }, undefined, 'scope'],
    ['no name', { client_name: '' }, undefined, 'client_name'],
  ])('refuses %s with the error summary linking to the field, keeps the answers, and stores nothing', async (_, change, grants, field) => {
    const name = `Refused ${crypto.randomUUID()}`;
    const page = await html(await register({ ...registration, client_name: name, ...change }, grants));
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/<title>Error: Register an application/);
    expect(page.text).toContain(`<a href="#${field}">`);
    expect(page.text).toContain(`id="${field}-error"`);
    if ((change as Record<string, string>).client_name !== '') expect(page.text).toContain(`value="${name}"`);
    expect(await (await browser.fetch('/console/applications')).text()).not.toContain(name);
  });

  it('refuses a registration without the CSRF token (403) and stores nothing', async () => {
    const res = await register({ ...registration, client_name: 'Forged app' }, undefined, 'x'.repeat(43));
    expect(res.status).toBe(403);
    expect(await (await browser.fetch('/console/applications')).text()).not.toContain('Forged app');
  });
});

describe("rotating a client's secret", () => {
  it('asks first, then shows a new secret once: the old one stops working and the new one works; audited', async () => {
    const [client, person] = await Promise.all([registerWebClient({ client_name: 'Rotating RP' }), createUser()]);
    const tokens = await signIn(client, { person });
    const confirm = await html(await browser.fetch(`/console/applications/${client.client_id}/rotate-secret`));
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('The current secret stops working at once');
    const page = await html(await browser.postForm(`/console/applications/${client.client_id}/rotate-secret`, { csrf_token: csrf }));
    expect(page.status).toBe(200);
    const secret = secretOn(page.text, 'client_secret')!;
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(secret).not.toBe(client.client_secret);
    const old = await refresh(client, tokens.refresh_token!);
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh({ ...client, client_secret: secret }, tokens.refresh_token!)).status).toBe(200);
    const [event] = (await auditEventsFor(client.client_id)).filter((e) => e.action === 'client.secret_rotate');
    expect(event).toMatchObject({ actor: operator.person.id, details: { via: 'console' } });
  });

  it('has nothing to rotate for a public client, and refuses without the CSRF token', async () => {
    const publicClient = await registerWebClient({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code'] });
    expect((await browser.fetch(`/console/applications/${publicClient.client_id}/rotate-secret`)).status).toBe(404);
    const client = await registerWebClient();
    expect((await browser.postForm(`/console/applications/${client.client_id}/rotate-secret`, {})).status).toBe(403);
    const res = await postForm('/token', { grant_type: 'refresh_token', refresh_token: 'x' }, client);
    // Still the registered secret: a refresh token that is not one, not a client failure.
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('deleting an application (RFC 7592 §2.3)', () => {
  it("asks first, then deletes: its ID, secret and tokens stop working at once; audited as the operator", async () => {
    const [client, person] = await Promise.all([registerWebClient({ client_name: 'Leaving RP' }), createUser()]);
    const tokens = await signIn(client, { person });
    const confirm = await html(await browser.fetch(`/console/applications/${client.client_id}/delete`));
    expect(confirm.text).toContain('This cannot be undone');
    const res = await browser.postForm(`/console/applications/${client.client_id}/delete`, { csrf_token: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/applications?done=deleted');
    expect(await (await browser.fetch('/console/applications?done=deleted')).text()).toContain('The application was deleted.');
    expect((await adminCall(`/register/${client.client_id}`)).status).toBe(401);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect(await (await refresh(client, tokens.refresh_token!)).json()).toMatchObject({ error: 'invalid_client' });
    const [event] = (await auditEventsFor(client.client_id)).filter((e) => e.action === 'client.delete');
    expect(event).toMatchObject({ actor: operator.person.id, details: { via: 'console', client_name: 'Leaving RP' } });
  });

  it("never deletes the console's own client", async () => {
    const page = await html(await browser.fetch(`/console/applications/${CONSOLE_CLIENT_ID}`));
    expect(page.status).toBe(200);
    expect(page.text).toContain('the operator console&#39;s own application');
    expect((await browser.postForm(`/console/applications/${CONSOLE_CLIENT_ID}/delete`, { csrf_token: csrf })).status).toBe(404);
    expect((await browser.fetch(`/console/applications/${CONSOLE_CLIENT_ID}`)).status).toBe(200);
  });

  it('refuses a delete without the CSRF token and keeps the client', async () => {
    const client = await registerWebClient();
    expect((await browser.postForm(`/console/applications/${client.client_id}/delete`, { csrf_token: 'y'.repeat(43) })).status).toBe(403);
    expect((await adminCall(`/register/${client.client_id}`)).status).toBe(200);
  });
});
