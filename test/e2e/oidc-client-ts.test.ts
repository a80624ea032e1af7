// A browser single-page application with oidc-client-ts (a public client,
// PKCE S256) on a loopback origin other than the issuer's, in Chromium with a
// virtual authenticator, against `npm start`: sign-in, token, userinfo,
// refresh, logout, every call to the service under the browser's CORS checks (CONTRACT §6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolPasskey } from '../support/node/assurance-browser.ts';
import { passkeyPage, screenshot, type Page } from '../support/node/browser.ts';
import { createPerson, register } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { startStaticSpa, type StaticSpa } from '../support/node/static-spa.ts';

const UID = '555000000999';
const stack = useStack('spa');
const browser = useBrowser();
let spa: StaticSpa;
let stranger: StaticSpa;
let page: Page;
let personId: string;

beforeAll(async () => {
  [spa, stranger] = await Promise.all([startStaticSpa(), startStaticSpa()]);
  ({ id: personId } = await createPerson(stack, { userName: 'spa.person', name: { givenName: 'Sam', familyName: 'Single-Page' }, rbac: { uid: UID, identityAssuranceLevel: 3 } }));
  const client = await register(stack, {
    client_name: 'oidc-client-ts SPA',
    redirect_uris: [`${spa.origin}/callback`],
    post_logout_redirect_uris: [`${spa.origin}/signed-out`],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    scope: 'openid profile offline_access',
  });
  const settings = { authority: stack.url, client_id: client.client_id, scope: 'openid profile offline_access' };
  spa.settings = settings;
  stranger.settings = settings;
  ({ page } = await passkeyPage(browser(), stack.url));
});

afterAll(async () => {
  await Promise.all([spa?.close(), stranger?.close()]);
});

type SpaUser = { access_token: string; refresh_token?: string; id_token?: string; profile: Record<string, unknown>; scope?: string };
const currentUser = () => page.evaluate(async () => JSON.parse(JSON.stringify(await (window as any).mgr.getUser())) as SpaUser);

describe('oidc-client-ts in Chromium, cross-origin from the issuer', () => {
  let first: SpaUser;

  it('enrols a passkey in the virtual authenticator (CONTRACT §5)', async () => {
    await enrolPasskey(page, stack, personId);
  });

  it('signs in with a passkey and redeems the code at the token endpoint through CORS (RFC 6749 §4.1, RFC 7636)', async () => {
    await page.goto(`${spa.origin}/`);
    // The library navigates away: the call is started, not awaited.
    await page.evaluate(() => void (window as any).mgr.signinRedirect());
    await page.waitForURL(/\/signin\?/);
    await page.getByRole('button', { name: /passkey/i }).click();
    await page.waitForURL(`${spa.origin}/callback**`);
    expect(await page.evaluate(() => (window as any).callbackDone)).toBe(UID);
    await screenshot(page, 'oidc-client-ts-signed-in');
    first = await currentUser();
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.scope).toBe('openid profile offline_access');
  });

  it('loads userinfo cross-origin (OIDC Core §5.3) into the profile', () => {
    // loadUserInfo: the library called userinfo with the access token from the SPA's origin.
    expect(first.profile).toMatchObject({ sub: UID, given_name: 'Sam', family_name: 'Single-Page' });
  });

  it('refreshes with the refresh token, which rotates (RFC 6749 §6, CONTRACT §7)', async () => {
    await page.evaluate(() => (window as any).mgr.signinSilent());
    const refreshed = await currentUser();
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
  });

  it('is refused by the browser when a page on an origin the client did not register calls the token endpoint', async () => {
    const other = await browser().newPage();
    await other.goto(`${stranger.origin}/`);
    const outcome = await other.evaluate(async ({ tokenEndpoint, clientId }) => {
      try {
        const res = await fetch(tokenEndpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x', client_id: clientId }),
        });
        return `read ${res.status}`;
      } catch (err) {
        return `blocked ${(err as Error).name}`;
      }
    }, { tokenEndpoint: `${stack.url}/token`, clientId: spa.settings.client_id! });
    expect(outcome).toBe('blocked TypeError');
    await other.close();
  });

  it('signs out through the end-session endpoint with id_token_hint and returns to the SPA (RP-Initiated Logout §2)', async () => {
    await page.evaluate(() => void (window as any).mgr.signoutRedirect());
    await page.waitForURL(`${spa.origin}/signed-out**`);
    // The single sign-on session is gone: prompt=none now answers login_required.
    await page.evaluate(() => void (window as any).mgr.signinRedirect({ prompt: 'none' }));
    await page.waitForURL(`${spa.origin}/callback**`);
    expect(new URL(page.url()).searchParams.get('error')).toBe('login_required');
  });
});
