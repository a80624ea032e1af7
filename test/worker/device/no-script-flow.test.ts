// The verification page without script, over HTTP inside workerd: code form,
// password + authenticator app sign-in, approval form, then the device's poll;
// and the device request's assurance (acr_values) held to as at /authorize.
import { describe, expect, it } from 'vitest';
import { Browser } from '../../support/worker/browser.ts';
import { registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { hiddenField } from '../../support/password-sign-in.ts';
import { createPasswordPerson, passwordSignInAndContinue } from '../../support/worker/password.ts';
import { postForm } from '../../support/worker/tokens.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

async function deviceAuthorization(client: RegisteredClient, params: Record<string, string> = {}) {
  const res = await postForm('/device_authorization', { client_id: client.client_id, ...params }, null);
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string };
}

const poll = (client: RegisteredClient, deviceCode: string) => postForm('/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: client.client_id }, null);

/** Opens the code form and submits the code; answers the page reached after following redirects. */
async function enterCode(browser: Browser, userCode: string): Promise<Response> {
  const form = await browser.fetch('/device');
  const res = await browser.postForm('/device', { csrf_token: hiddenField(await form.text(), 'csrf_token'), user_code: userCode });
  return browser.navigate(res.headers.get('location')!);
}

describe('the device flow without script (RFC 8628 §3.3)', () => {
  it('signs in with password + app, shows the application and its scopes, and approval gives the device tokens at AAL2', async () => {
    const who = await createPasswordPerson();
    const client = await registerClient({ client_name: 'Dictation kiosk', grant_types: [DEVICE_GRANT], token_endpoint_auth_method: 'none', scope: 'openid profile' });
    const { device_code, user_code } = await deviceAuthorization(client, { scope: 'openid profile', acr_values: 'AAL2_ANY' });
    const browser = new Browser();
    const signIn = await enterCode(browser, user_code);
    expect(browser.url.pathname).toBe('/signin');
    expect(await signIn.text()).toContain('Dictation kiosk');
    const approval = await passwordSignInAndContinue(browser, who);
    expect(browser.url.pathname).toBe('/device/approve');
    const html = await approval.text();
    expect(html).toContain(user_code);
    expect(html).toContain('Your name');
    expect(await (await poll(client, device_code)).json()).toMatchObject({ error: 'authorization_pending' });
    const done = await browser.postForm(`${browser.url.pathname}${browser.url.search}`, { csrf_token: hiddenField(html, 'csrf_token'), decision: 'approve' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Device connected');
    // A replayed Approve form finds the request taken.
    const replay = await browser.postForm(`${browser.url.pathname}${browser.url.search}`, { csrf_token: hiddenField(html, 'csrf_token'), decision: 'approve' });
    expect(replay.status).toBe(400);
    const tokens = await poll(client, device_code);
    expect(tokens.status).toBe(200);
    const body = (await tokens.json()) as { id_token: string; refresh_token?: string };
    const claims = JSON.parse(atob(body.id_token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    expect(claims).toMatchObject({ acr: 'AAL2_ANY', amr: ['PWD', 'TOTP'], aud: client.client_id });
    // Not registered for refresh_token: none issued.
    expect(body.refresh_token).toBeUndefined();
  });

  it('ends a request whose assurance no authenticator of the person meets as access_denied (contract §8)', async () => {
    const who = await createPasswordPerson();
    const client = await registerClient({ client_name: 'Theatre tablet', grant_types: [DEVICE_GRANT], token_endpoint_auth_method: 'none', scope: 'openid' });
    const { device_code, user_code } = await deviceAuthorization(client, { acr_values: 'AAL3_ANY' });
    const browser = new Browser();
    await enterCode(browser, user_code);
    const page = await passwordSignInAndContinue(browser, who);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('unmet_authentication_requirements');
    expect(await (await poll(client, device_code)).json()).toMatchObject({ error: 'access_denied' });
  });
});
