// Auth.js (@auth/core) with its generic OIDC provider, hosted by a minimal Node
// server, in Chromium with a virtual authenticator, against `npm start`:
// authorization code with PKCE, state and nonce, client_secret_basic, userinfo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolPasskey } from '../support/node/assurance-browser.ts';
import { startAuthJsHost, type AuthJsHost } from '../support/node/authjs-host.ts';
import { passkeyPage, screenshot, type Page } from '../support/node/browser.ts';
import { createPerson, register } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';

const stack = useStack('authjs');
const browser = useBrowser();
let host: AuthJsHost;
let page: Page;
let personId: string;

beforeAll(async () => {
  host = await startAuthJsHost();
  ({ id: personId } = await createPerson(stack, { userName: 'authjs.person', name: { givenName: 'Ada', familyName: 'Authjs' }, rbac: { uid: '555000000666', identityAssuranceLevel: 3 } }));
  const client = await register(stack, {
    client_name: 'Auth.js host',
    redirect_uris: [`${host.origin}/auth/callback/nhs`],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile',
  });
  host.provider = { issuer: stack.url, clientId: client.client_id, clientSecret: client.client_secret as string };
  ({ page } = await passkeyPage(browser(), stack.url));
});

afterAll(async () => {
  await host?.close();
});

describe('Auth.js generic OIDC provider in Chromium', () => {
  it('enrols a passkey in the virtual authenticator (CONTRACT §5)', async () => {
    await enrolPasskey(page, stack, personId);
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
