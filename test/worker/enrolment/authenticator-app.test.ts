import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enrolments, totpSecrets } from '../../../schema/credentials.ts';
import { base32, timeStep } from '../../../src/totp/totp.ts';
import { invite, registrationOptions, postJson, ORIGIN } from '../../support/webauthn/enrolment.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { Browser } from '../../support/worker/browser.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { appSetupOnPage, AuthenticatorApp, setUpApp } from '../../support/worker/password.ts';
import { auditEventsFor, createUser } from '../../support/worker/scim.ts';

async function storedApp(personId: string) {
  const [row] = await testDatabase().select().from(totpSecrets).where(eq(totpSecrets.personId, personId));
  return row ?? null;
}

async function openInvitation() {
  const person = await createUser();
  const invitation = await invite(person.id);
  const browser = new Browser();
  const path = new URL(invitation.url).pathname;
  const html = await (await browser.fetch(path)).text();
  return { person, invitation, browser, path, html, setup: appSetupOnPage(html) };
}

describe('setting up an authenticator app from an invitation (RFC 6238, docs/assurance.md)', () => {
  it('shows an inline SVG QR code, the key as text and a code form, with no inline script', async () => {
    const { html, setup, invitation } = await openInvitation();
    expect(html).toContain('Set up an authenticator app');
    expect(html).toMatch(/<svg width="240" height="240" role="img" aria-label="QR code for your authenticator app"[^>]*viewBox=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain(`action="/enrol/${invitation.code}/authenticator-app"`);
    expect(setup.secret).toHaveLength(20);
    expect(html).toMatch(/<button[^>]*id="enrol-button"[^>]*>\s*Create a passkey/);
  });

  it('offers the same key on every visit, and stores nothing until a code is confirmed', async () => {
    const { browser, path, setup, person } = await openInvitation();
    const again = appSetupOnPage(await (await browser.fetch(path)).text());
    expect(base32(again.secret)).toBe(base32(setup.secret));
    expect(await storedApp(person.id)).toBeNull();
  });

  it('refuses a wrong code with 400 and an error beside the field, storing nothing', async () => {
    const { browser, setup, person } = await openInvitation();
    const res = await browser.postForm(setup.action, { csrf_token: setup.token, totp_code: '000000' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('The code is not right');
    expect(html).toMatch(/class="nhsuk-error-summary"/);
    expect(await storedApp(person.id)).toBeNull();
    expect((await auditEventsFor(person.id)).find((e) => e.action === 'enrolment.totp')).toMatchObject({ outcome: 'failure' });
  });

  it('confirms a right code: role="status" says so, and the key is stored sealed with the code step spent', async () => {
    const { browser, setup, person } = await openInvitation();
    const app = new AuthenticatorApp(setup.secret);
    const res = await browser.postForm(setup.action, { csrf_token: setup.token, totp_code: await app.code() });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/role="status"[^>]*>\s*Your authenticator app is set up/);
    expect(html).toContain('Finish without a passkey');
    const row = (await storedApp(person.id))!;
    expect(row.confirmedAt).not.toBeNull();
    expect(row.lastUsedStep).toBe(app.lastUsedStep);
    expect(Math.abs(row.lastUsedStep! - timeStep(Date.now()))).toBeLessThanOrEqual(1);
    expect(row.secretCiphertext).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(row.secretCiphertext).not.toContain(base32(setup.secret));
    expect((await auditEventsFor(person.id)).find((e) => e.action === 'enrolment.totp')).toMatchObject({ outcome: 'success' });
  });

  it('refuses a form without the token rendered for this invitation (403), storing nothing', async () => {
    const { browser, setup, person } = await openInvitation();
    const other = await openInvitation();
    const res = await browser.postForm(setup.action, { csrf_token: other.setup.token, totp_code: await new AuthenticatorApp(setup.secret).code() });
    expect(res.status).toBe(403);
    expect(await storedApp(person.id)).toBeNull();
  });

  it('does not spend the invitation: the same invitation still creates a passkey, which spends it (contract §5)', async () => {
    const person = await createUser();
    const { code } = await setUpApp(person.id);
    const authenticator = new SoftwareAuthenticator();
    const response = await authenticator.createCredential(await registrationOptions(code), { origin: ORIGIN });
    expect((await postJson('/webauthn/registration/verify', { code, response })).status).toBe(200);
    const page = await new Browser().fetch(`/enrol/${code}`);
    expect(page.status).toBe(410);
  });

  it('spends the invitation when the person chooses Finish without a passkey', async () => {
    const person = await createUser();
    const browser = new Browser();
    const { code, response } = await setUpApp(person.id, browser);
    const html = await response.text();
    const token = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
    const finished = await browser.postForm(`/enrol/${code}/finish`, { csrf_token: token });
    expect(finished.status).toBe(200);
    expect(await finished.text()).toMatch(/role="status"[^>]*>\s*Your invitation has been used/);
    const [row] = await testDatabase().select({ spentAt: enrolments.spentAt }).from(enrolments).where(eq(enrolments.personId, person.id));
    expect(row!.spentAt).not.toBeNull();
    expect((await browser.fetch(`/enrol/${code}`)).status).toBe(410);
    expect((await browser.postForm(`/enrol/${code}/finish`, { csrf_token: token })).status).toBe(410);
  });

  it('sets up one app per invitation: a second confirmation changes nothing', async () => {
    const person = await createUser();
    const browser = new Browser();
    const { code } = await setUpApp(person.id, browser);
    const before = await storedApp(person.id);
    const html = await (await browser.fetch(`/enrol/${code}`)).text();
    expect(html).toContain('Your authenticator app is set up');
    const token = /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
    const again = await browser.postForm(`/enrol/${code}/authenticator-app`, { csrf_token: token, totp_code: '123456' });
    expect(again.status).toBe(200);
    expect(await storedApp(person.id)).toEqual(before);
  });

  it('replaces the app when a new invitation sets up another', async () => {
    const person = await createUser();
    const first = await setUpApp(person.id);
    const second = await setUpApp(person.id);
    expect(base32(second.app.secret)).not.toBe(base32(first.app.secret));
    expect((await storedApp(person.id))!.lastUsedStep).toBe(second.app.lastUsedStep);
  });
});
