// The page where a signed-in person manages their own authenticators (CONTRACT §10,
// NIST SP 800-63B §6.2): see, rename, remove (never the last), add a passkey.
import { describe, expect, it } from 'vitest';
import { authorizePath, passkeySignIn } from '../../support/sign-in.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, enrolPasskey, postJson, registrationOptions } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerLogoutClient, signInTo } from '../../support/worker/logout.ts';
import { adminCall } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';

const PAGE = '/account/authenticators';
const csrfOf = (html: string) => /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;

async function pageOf(browser: Browser): Promise<{ status: number; html: string; csrf: string }> {
  const res = await browser.fetch(PAGE);
  const html = await res.text();
  return { status: res.status, html, csrf: csrfOf(html) };
}

async function listed(personId: string): Promise<{ id: string; name: string }[]> {
  return ((await (await adminCall(`/admin/users/${personId}/authenticators`)).json()) as { authenticators: { id: string; name: string }[] }).authenticators;
}

describe('the person\'s own authenticators page (CONTRACT §10, NIST SP 800-63B §6.2)', () => {
  it('sends someone who is not signed in to sign in, and the sign-in pages link to it', async () => {
    const browser = new Browser();
    const res = await browser.fetch(PAGE);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin');
    expect(await (await browser.fetch('/signin')).text()).toContain(`href="${PAGE}"`);
  });

  it('lists the passkey and refuses to remove the only one', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const { status, html, csrf } = await pageOf(s.browser);
    expect(status).toBe(200);
    expect(html).toContain('Your sign-in methods');
    expect(html).toContain('This is your only sign-in method');
    const res = await s.browser.postForm(`${PAGE}/remove`, { csrf_token: csrf, id: s.credentialId });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('You cannot remove your only sign-in method');
    expect(await listed(s.person.id)).toHaveLength(1);
  });

  it('adds a passkey through the enrolment ceremony, renames it, and removes the first: that one then signs nobody in and its session ends', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    const { csrf } = await pageOf(s.browser);

    const add = await s.browser.postForm(`${PAGE}/add`, { csrf_token: csrf });
    expect(add.status).toBe(303);
    const code = /^\/enrol\/([A-Za-z0-9_-]+)$/.exec(add.headers.get('location')!)![1]!;
    const second = new SoftwareAuthenticator();
    const response = await second.createCredential(await registrationOptions(code), { origin: ORIGIN });
    expect((await postJson('/webauthn/registration/verify', { code, response })).status).toBe(200);
    const added = (await listed(s.person.id)).find((a) => a.id !== s.credentialId)!;

    const renamed = await s.browser.postForm(`${PAGE}/rename`, { csrf_token: csrf, id: added.id, name: 'Work laptop' });
    expect(renamed.status).toBe(303);
    expect(await (await s.browser.fetch(renamed.headers.get('location')!)).text()).toContain('Work laptop');

    const removed = await s.browser.postForm(`${PAGE}/remove`, { csrf_token: csrf, id: s.credentialId });
    expect(removed.status).toBe(303);
    expect((await listed(s.person.id)).map((a) => a.name)).toEqual(['Work laptop']);
    expect((await passkeySignIn(new Browser(), s.authenticator)).status).toBe(400);
    // The session the removed passkey signed in has ended.
    expect(redirectParams(await s.browser.fetch(authorizePath(client, { prompt: 'none' }))).error).toBe('login_required');
    const audit = (await auditEventsFor(s.person.id)).find((e) => e.action === 'authenticator.revoke');
    expect(audit).toMatchObject({ actor: s.person.id, details: { authenticatorId: s.credentialId } });
  });

  it('refuses a form without the session\'s CSRF token, and cannot touch another person\'s passkey', async () => {
    const client = await registerLogoutClient(null);
    const s = await signInTo(client);
    await enrolPasskey({ person: s.person });
    const other = await enrolPasskey();
    expect((await s.browser.postForm(`${PAGE}/rename`, { csrf_token: 'wrong', id: s.credentialId, name: 'x' })).status).toBe(403);
    const { csrf } = await pageOf(s.browser);
    const res = await s.browser.postForm(`${PAGE}/remove`, { csrf_token: csrf, id: other.credentialId });
    expect(res.status).toBe(400);
    expect(await listed(other.person.id)).toHaveLength(1);
  });
});
