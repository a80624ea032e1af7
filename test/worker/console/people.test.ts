// The console's People views: search, a person's page, and the operator's
// actions on it (CONTRACT §10 revocation, session end, unlock, enrolment
// invitation), each audited with the operator as actor.
import { describe, expect, it } from 'vitest';
import { authorize, authorizePath, passkeySignIn } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { consoleSignIn, csrfTokenOf, enrolOperator } from '../../support/worker/console.ts';
import { lockFromManyAddresses } from '../../support/worker/lockout.ts';
import { createPasswordPerson } from '../../support/worker/password.ts';
import { auditEventsFor, createUser, RBAC_USER } from '../../support/worker/scim.ts';
import { testApp } from '../../support/worker/test-app.ts';

async function signedInOperator(browser?: Browser) {
  const operator = await enrolOperator();
  const { browser: b, response } = await consoleSignIn(operator, '/console/people', browser);
  expect(response.status).toBe(200);
  return { operator, browser: b, csrf: csrfTokenOf(await response.text()) };
}

const personPage = (id: string) => `/console/people/${id}`;

describe('People search', () => {
  it('finds a person by part of a name, by username and by exact uid; LIKE wildcards match only themselves', async () => {
    const { browser } = await signedInOperator();
    const familyName = `Zed${crypto.randomUUID().slice(0, 8)}`;
    const person = await createUser({ name: { givenName: 'Quinn', familyName }, displayName: `Quinn ${familyName}` });
    const uid = person[RBAC_USER].uid as string;
    for (const q of [familyName.toLowerCase(), person.userName.toUpperCase(), uid]) {
      const html = await (await browser.fetch(`/console/people?q=${encodeURIComponent(q)}`)).text();
      expect(html).toContain(`href="/console/people/${person.id}"`);
    }
    const none = await (await browser.fetch(`/console/people?q=${encodeURIComponent('%_%_nobody')}`)).text();
    expect(none).toContain('No people match');
    expect(none).not.toContain('<table');
  });
});

describe("A person's page", () => {
  it('shows roles by their own names with organisations, sign-in methods, sessions and recent audit events', async () => {
    const { browser } = await signedInOperator();
    const enrolled = await enrolPasskey();
    await authorize(new Browser(), await registerClient(), enrolled.authenticator);
    const res = await browser.fetch(personPage(enrolled.person.id));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Clinical Practitioner Access Role');
    expect(html).not.toContain('&quot;Clinical&quot;:');
    expect(html).toContain('Example NHS Trust (RX1)');
    expect(html).toContain('Passkey kept on one device (AAL3)');
    expect(html).toMatch(/name="session" value="[0-9a-f]+"/);
    expect(html).toContain('enrolment.invite');
    expect(html).toContain('Not locked or throttled.');
  });

  it('answers 404 for an unknown person', async () => {
    const { browser } = await signedInOperator();
    expect((await browser.fetch(personPage(crypto.randomUUID()))).status).toBe(404);
  });
});

describe('Operator actions', () => {
  it("revokes a person's passkey: their next sign-in with it fails and their session ends; audited with the operator as actor (CONTRACT §10)", async () => {
    const { operator, browser, csrf } = await signedInOperator();
    const client = await registerClient();
    const enrolled = await enrolPasskey();
    const personBrowser = new Browser();
    expect(redirectParams(await authorize(personBrowser, client, enrolled.authenticator)).code).toBeDefined();
    const res = await browser.postForm(`${personPage(enrolled.person.id)}/authenticators/revoke`, { csrf_token: csrf, id: enrolled.credentialId });
    expect(res.status).toBe(303);
    const after = await (await browser.fetch(res.headers.get('location')!)).text();
    expect(after).toContain('The sign-in method has been revoked');
    expect((await passkeySignIn(new Browser(), enrolled.authenticator)).status).toBe(400);
    const silent = await personBrowser.fetch(authorizePath(client, { prompt: 'none' }));
    expect(redirectParams(silent).error).toBe('login_required');
    const events = await auditEventsFor(enrolled.person.id);
    expect(events.find((e) => e.action === 'authenticator.revoke')).toMatchObject({ actor: operator.person.id, outcome: 'success' });
  });

  it('refuses an action without the CSRF token and changes nothing', async () => {
    const { browser } = await signedInOperator();
    const enrolled = await enrolPasskey();
    const res = await browser.postForm(`${personPage(enrolled.person.id)}/authenticators/revoke`, { id: enrolled.credentialId });
    expect(res.status).toBe(403);
    expect((await passkeySignIn(new Browser(), enrolled.authenticator)).status).toBe(200);
  });

  it("ends one of the person's sessions: it no longer signs them in silently; audited", async () => {
    const { operator, browser, csrf } = await signedInOperator();
    const client = await registerClient();
    const enrolled = await enrolPasskey();
    const personBrowser = new Browser();
    await authorize(personBrowser, client, enrolled.authenticator);
    const html = await (await browser.fetch(personPage(enrolled.person.id))).text();
    const session = /name="session" value="([0-9a-f]+)"/.exec(html)![1]!;
    const res = await browser.postForm(`${personPage(enrolled.person.id)}/sessions/end`, { csrf_token: csrf, session });
    expect(res.status).toBe(303);
    expect(redirectParams(await personBrowser.fetch(authorizePath(client, { prompt: 'none' }))).error).toBe('login_required');
    const page = await (await browser.fetch(res.headers.get('location')!)).text();
    expect(page).toContain('The session has ended.');
    expect(page).not.toContain(`value="${session}"`);
    const events = await auditEventsFor(enrolled.person.id);
    expect(events.find((e) => e.action === 'session.end')).toMatchObject({ actor: operator.person.id, details: { sessionId: session, wasLive: true, via: 'console' } });
  });

  it('refuses to end a session the person does not hold', async () => {
    const { browser, csrf } = await signedInOperator();
    const person = await createUser();
    const res = await browser.postForm(`${personPage(person.id)}/sessions/end`, { csrf_token: csrf, session: 'ab'.repeat(32) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('That session was not found');
  });

  it('shows a locked person as locked and unlocks them; audited as person.unlocked by the operator', async () => {
    const app = testApp();
    const who = await createPasswordPerson();
    await lockFromManyAddresses(app, await registerClient(), who.person.userName);
    const { operator, browser, csrf } = await signedInOperator(new Browser(app.fetch));
    expect(await (await browser.fetch(personPage(who.person.id))).text()).toMatch(/Password: locked until/);
    const res = await browser.postForm(`${personPage(who.person.id)}/unlock`, { csrf_token: csrf });
    expect(res.status).toBe(303);
    expect(await (await browser.fetch(res.headers.get('location')!)).text()).toContain('Not locked or throttled.');
    const events = await auditEventsFor(who.person.id);
    expect(events.at(-1)).toMatchObject({ action: 'person.unlocked', actor: operator.person.id, details: { wasLocked: true } });
  });

  it('creates an enrolment invitation and shows its link and a QR code; the link opens the enrolment page', async () => {
    const { operator, browser, csrf } = await signedInOperator();
    const person = await createUser();
    const res = await browser.postForm(`${personPage(person.id)}/invitations`, { csrf_token: csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const url = /id="invitation-link" href="([^"]+)"/.exec(html)![1]!;
    expect(url).toMatch(/^http:\/\/localhost:8787\/enrol\/[A-Za-z0-9_-]{43}$/);
    expect(html).toMatch(/<svg width="240" height="240" role="img" aria-label="QR code of the enrolment link for [^"]+"/);
    expect((await new Browser().fetch(new URL(url).pathname)).status).toBe(200);
    const events = await auditEventsFor(person.id);
    expect(events.at(-1)).toMatchObject({ action: 'enrolment.invite', actor: operator.person.id });
  });
});
