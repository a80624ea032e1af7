// Contract §5: the invitation URL opens a page with a "Create a passkey" button;
// codes that cannot be used get a page that says why, with no button.
import { describe, expect, it } from 'vitest';
import { createInvitation } from '../../../src/directory/credentials/invitations.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, invite, postJson, registrationOptions } from '../../support/webauthn/enrolment.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser, patchUser } from '../../support/worker/scim.ts';

const BUTTON = /<button[^>]*id="enrol-button"[^>]*>\s*Create a passkey\s*<\/button>/;

function pathOf(url: string): string {
  return new URL(url).pathname;
}

function expectPageHeaders(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/i);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  // The code is in the URL: it must not leak through Referer or caches.
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
}

describe('GET /enrol/{code} (contract §5)', () => {
  it('greets the invited person by first name and offers the button, with the scripts it needs', async () => {
    const person = await createUser({ name: { givenName: 'Grace', familyName: 'Hopper' } });
    const { url, code } = await invite(person.id);
    const res = await call(pathOf(url));
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<h1 class="nhsuk-heading-xl">Create a passkey</h1>');
    expect(html).toContain('Grace, you have been invited');
    expect(html).toMatch(BUTTON);
    expect(html).toContain(`data-enrol-code="${code}"`);
    expect(html).toMatch(/role="status"/);
    expect(html).toContain('<div id="enrol-error" data-enrol-error="true"></div>');
    // What to do once the passkey is saved is on the page, hidden until enrol.js shows it.
    expect(html).toMatch(/<div id="enrol-saved" hidden="">[\s\S]*Your passkey is saved[\s\S]*What to do next[\s\S]*Return to the application/);
    expect(html).toMatch(/<noscript>[\s\S]*needs JavaScript[\s\S]*<\/noscript>/);
    expect(html).toContain('<script src="/assets/simplewebauthn-browser.js" defer="">');
    expect(html).toContain('<script src="/assets/enrol.js" defer="">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('does not spend the code by looking at it', async () => {
    const { url } = await invite((await createUser()).id);
    expect((await call(pathOf(url))).status).toBe(200);
    expect((await call(pathOf(url))).status).toBe(200);
  });

  it('says an unknown code is not valid, 404, with no button', async () => {
    for (const code of ['A'.repeat(43), 'nonsense', '%ZZ']) {
      const res = await call(`/enrol/${code}`);
      expect(res.status).toBe(404);
      expectPageHeaders(res);
      const html = await res.text();
      expect(html).toContain('This invitation link is not valid');
      expect(html).not.toMatch(/<button/);
    }
  });

  it('says a spent code has been used, 410, with no button', async () => {
    const person = await createUser();
    const { url, code } = await invite(person.id);
    const response = await new SoftwareAuthenticator().createCredential(await registrationOptions(code), { origin: ORIGIN });
    expect((await postJson('/webauthn/registration/verify', { code, response })).status).toBe(200);
    const res = await call(pathOf(url));
    expect(res.status).toBe(410);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain('This invitation has already been used');
    expect(html).not.toMatch(/<button/);
  });

  it('says an expired code has expired, 410, with no button', async () => {
    const person = await createUser();
    const { code } = await createInvitation(testDatabase(), { personId: person.id, ttlSeconds: 60, createdBy: 'test', now: Date.now() - 3600_000 });
    const res = await call(`/enrol/${code}`);
    expect(res.status).toBe(410);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain('This invitation has expired');
    expect(html).not.toMatch(/<button/);
  });

  it('says the account is not active when the person was deactivated, 410', async () => {
    const person = await createUser();
    const { url } = await invite(person.id);
    await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }]);
    const res = await call(pathOf(url));
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This account is not active');
  });

  it('refuses other methods with 405', async () => {
    const res = await call(`/enrol/${'A'.repeat(43)}`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
