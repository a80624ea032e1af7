// Auth.js (@auth/core) with its generic OIDC provider, hosted by a minimal Node
// server, in Chromium with a virtual authenticator, against `npm start`:
// authorization code with PKCE, state and nonce, client_secret_basic, userinfo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthJsHost, type AuthJsHost } from '../support/node/authjs-host.ts';
import { addVirtualAuthenticator, launchBrowser, passkeyAutofillSwitch, screenshot, type Browser, type Page } from '../support/node/browser.ts';
import { admin, CORE_USER, RBAC_USER } from '../support/node/contract.ts';
import { startLocalStack, type LocalStack } from '../support/node/local-stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wi-authjs-'));
let stack: LocalStack;
let host: AuthJsHost;
let browser: Browser;
let page: Page;
let personId: string;

beforeAll(async () => {
  stack = await startLocalStack(dataDir);
  host = await startAuthJsHost();
  const created = await admin(stack, '/scim/v2/Users', 'POST', {
    schemas: [CORE_USER, RBAC_USER],
    userName: 'authjs.person',
    name: { givenName: 'Ada', familyName: 'Authjs' },
    [RBAC_USER]: { uid: '555000000666', identityAssuranceLevel: 3 },
  }, 'application/scim+json');
  expect(created.status).toBe(201);
  personId = created.json.id as string;
  const registered = await admin(stack, '/register', 'POST', {
    client_name: 'Auth.js host',
    redirect_uris: [`${host.origin}/auth/callback/nhs`],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile',
  });
  expect(registered.status).toBe(201);
  host.provider = { issuer: stack.url, clientId: registered.json.client_id as string, clientSecret: registered.json.client_secret as string };
  browser = await launchBrowser();
  const context = await browser.newContext();
  await (await passkeyAutofillSwitch(context, stack.url))(false);
  page = await context.newPage();
  await addVirtualAuthenticator(page);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Auth.js generic OIDC provider in Chromium', () => {
  it('enrols a passkey in the virtual authenticator (CONTRACT §5)', async () => {
    const invitation = await admin(stack, `/admin/users/${personId}/enrolments`, 'POST');
    await page.goto(invitation.json.url as string);
    await page.getByRole('button', { name: /passkey/i }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/saved/i);
  });

  it('signs in through the provider with PKCE, state and nonce and holds a session with the person\'s name (OIDC Core §3.1)', async () => {
    await page.goto(`${host.origin}/`);
    await page.getByRole('button', { name: /sign in with nhs/i, disabled: false }).click();
    await page.waitForURL(/\/signin\?/);
    await page.getByRole('button', { name: /passkey/i }).click();
    await page.waitForURL(`${host.origin}/`);
    await screenshot(page, 'authjs-signed-in');
    const session = await page.evaluate(async () => (await fetch('/auth/session')).json());
    expect(session).toMatchObject({ user: { name: 'Ada Authjs' } });
  });
});
