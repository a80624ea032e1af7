// The whole journey in a real browser (Debian Chromium, a CDP virtual
// authenticator): enrol a passkey from an invitation, sign in to the demo relying
// party, single sign-on into a second client with no page, log out and see the
// back-channel logout arrive. Screenshots of each page go to test-artifacts/.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { enrolPasskey } from '../support/node/assurance-browser.ts';
import { admin, personId } from '../support/node/contract.ts';
import { passkeyPage, screenshot, type Page } from '../support/node/browser.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';

const stack = useStack('browser');
const browser = useBrowser();
let page: Page;
let autofill: (on: boolean) => Promise<void>;

beforeAll(async () => {
  // Autofill starts off; the test that signs in through it turns it on.
  ({ page, autofill } = await passkeyPage(browser(), stack.url));
});

type Received = { sid?: string; sub?: string };
const backchannelLogouts = async () => (await (await fetch(`${stack.demoUrl}/backchannel-logouts`)).json()) as Received[];

/** The demo's decoded JSON in a <pre>. */
async function shown(id: string): Promise<any> {
  return JSON.parse((await page.locator(`#${id}`).textContent()) ?? 'null');
}

describe('a member of staff in a browser', () => {
  let sid = '';

  it('enrols a passkey from an invitation (contract §5)', async () => {
    const invitation = await admin(stack, `/admin/users/${await personId(stack, 'alex.morgan')}/enrolments`, 'POST');
    expect(invitation.status).toBe(201);
    await page.goto(invitation.json.url);
    await screenshot(page, 'enrolment');
    await page.getByRole('button', { name: /passkey/i }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/saved/i);
    await screenshot(page, 'enrolment-saved');
  });

  it('signs in to the demo relying party with the passkey button and sees its ID token, access token and userinfo', async () => {
    await autofill(false);
    await page.goto(stack.demoUrl);
    await screenshot(page, 'demo-signed-out');
    const started = Date.now();
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(/\/signin\?/);
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: /passkey/i }).click();
    await page.locator('#id-token').waitFor();
    console.log(`full sign-in in the browser (demo "Sign in" to its signed-in page) took ${Date.now() - started} ms`);
    await screenshot(page, 'demo-signed-in');
    const idToken = await shown('id-token');
    expect(idToken.header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(idToken.payload).toMatchObject({ iss: stack.url, amr: ['FIDO2'], acr: 'AAL3_ANY', selected_roleid: expect.any(String) });
    expect(idToken.payload.sid).toMatch(/^[0-9a-f]{64}$/);
    sid = idToken.payload.sid;
    expect((await shown('access-token')).header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const userinfo = await shown('userinfo');
    expect(userinfo.nhsid_nrbac_roles).toHaveLength(1);
    expect(userinfo.selected_roleid).toBe(userinfo.nhsid_nrbac_roles[0].person_roleid);
  });

  it('refreshes the demo\'s tokens (rotation, contract §7)', async () => {
    const before = (await shown('access-token')).payload.jti;
    await page.getByRole('button', { name: /refresh/i }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/refreshed/i);
    expect((await shown('access-token')).payload.jti).not.toBe(before);
    await screenshot(page, 'demo-refreshed');
  });

  it('gets a code for a second client with no page (single sign-on, contract §6)', async () => {
    // The second client is a bare page on loopback that records where the browser landed.
    const landed: string[] = [];
    const second = createServer((req, res) => {
      landed.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Second</title><p>second relying party</p>');
    });
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.1', resolve));
    const redirectUri = `http://127.0.0.1:${(second.address() as AddressInfo).port}/cb`;
    try {
      const client = await admin(stack, '/register', 'POST', {
        client_name: 'second',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        // CONTRACT §3: without it the client may ask for openid alone.
        scope: 'openid profile',
      });
      expect(client.status).toBe(201);
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${stack.url}/authorize`);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: client.json.client_id,
        redirect_uri: redirectUri,
        scope: 'openid profile',
        state: 'second-state',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      })) authorize.searchParams.set(k, v);
      const pagesSeen: string[] = [];
      const seen = (frame: { url(): string }) => pagesSeen.push(frame.url());
      page.on('framenavigated', seen);
      await page.goto(authorize.href);
      page.off('framenavigated', seen);
      await screenshot(page, 'second-client');
      expect(page.url().startsWith(`${redirectUri}?`)).toBe(true);
      const params = new URL(page.url()).searchParams;
      expect(params.get('code')).toMatch(/.+\..+/);
      expect(params.get('state')).toBe('second-state');
      expect(params.get('iss')).toBe(stack.url);
      expect(landed.filter((u) => u.startsWith('/cb?'))).toHaveLength(1);
      // No page of the identity service was shown on the way.
      expect(pagesSeen.some((u) => u.startsWith(stack.url))).toBe(false);
    } finally {
      second.close();
    }
  });

  it('logs out of the demo, and the demo receives a back-channel logout token for the session', async () => {
    await page.goto(stack.demoUrl);
    await page.getByRole('button', { name: /log out/i }).click();
    // RP-initiated logout with id_token_hint: no question, straight back with state.
    await page.waitForURL(new RegExp(`^${stack.demoUrl}/\\?state=`));
    await page.getByRole('button', { name: /sign in/i }).waitFor();
    await screenshot(page, 'demo-logged-out');
    await expect.poll(backchannelLogouts, { timeout: 15_000 }).toContainEqual(expect.objectContaining({ sid, sub: expect.stringMatching(/^\d{12}$/) }));
    await page.reload();
    await screenshot(page, 'demo-backchannel-log');
  });

  it('signs in again through passkey autofill (conditional mediation), with no click on the sign-in page', async () => {
    await autofill(true);
    await page.goto(stack.demoUrl);
    const pagesSeen: string[] = [];
    const seen = (frame: { url(): string }) => pagesSeen.push(frame.url());
    page.on('framenavigated', seen);
    await page.getByRole('button', { name: /sign in/i }).click();
    // Only the signed-in page has the decoded tokens.
    await page.locator('#id-token').waitFor();
    page.off('framenavigated', seen);
    expect(pagesSeen.some((u) => u.startsWith(`${stack.url}/signin?`))).toBe(true);
    expect((await shown('id-token')).payload.sid).not.toBe(sid);
  });

  it('asks before signing out when no application proves it asked, then signs out', async () => {
    const second = (await shown('id-token')).payload.sid as string;
    expect(second).not.toBe(sid);

    await page.goto(`${stack.url}/logout`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Do you want to sign out?');
    await screenshot(page, 'logout-confirm');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/signed out/i);
    await screenshot(page, 'signed-out');
    await expect.poll(backchannelLogouts, { timeout: 15_000 }).toContainEqual(expect.objectContaining({ sid: second }));
    // The demo now treats its own session as ended.
    await page.goto(stack.demoUrl);
    await expect(page.getByRole('status').textContent()).resolves.toMatch(/back-channel logout/i);
  });
});

describe('a member of staff with several roles, in a browser of their own', () => {
  it('chooses a role on the role page (contract §8) and the demo receives it as selected_roleid', async () => {
    const { page: own } = await passkeyPage(browser(), stack.url);
    try {
      await enrolPasskey(own, stack, await personId(stack, 'sam.patel'));

      await own.goto(stack.demoUrl);
      await own.getByRole('button', { name: /sign in/i }).click();
      await own.waitForURL(/\/signin\?/);
      await own.getByRole('button', { name: /passkey/i }).click();
      await own.waitForURL(/\/select-role\?/);
      await screenshot(own, 'role-choice');
      const radios = own.getByRole('radio');
      await expect.poll(() => radios.count()).toBe(3);
      const chosen = own.getByRole('radio', { name: /Receptionist Access Role/ });
      const roleId = await chosen.getAttribute('value');
      await chosen.check();
      await own.getByRole('button', { name: 'Continue' }).click();
      await own.locator('#id-token').waitFor();
      await screenshot(own, 'demo-signed-in-with-role');
      const idToken = JSON.parse((await own.locator('#id-token').textContent())!);
      expect(idToken.payload.selected_roleid).toBe(roleId);
      const userinfo = JSON.parse((await own.locator('#userinfo').textContent())!);
      expect(userinfo.nhsid_nrbac_roles).toHaveLength(3);
      expect(userinfo.selected_roleid).toBe(roleId);
    } finally {
      await own.context().close();
    }
  });
});
