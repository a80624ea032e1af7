import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { call } from '../../support/worker/requests.ts';
import { createUser, RBAC_USER, uniqueUid, type ScimUser } from '../../support/worker/scim.ts';
import { authorize, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

const ORGS = [
  { orgCode: 'RX1', orgName: 'Example NHS Trust' },
  { orgCode: 'Y55', orgName: 'Riverside Practice' },
];

/** A person with `count` roles spread over two organisations. */
function personWithRoles(count: number): Promise<ScimUser> {
  const roles = Array.from({ length: count }, (_, i) => ({
    orgCode: ORGS[i % 2]!.orgCode,
    roleCode: `S8000:G8000:R80${String(i).padStart(2, '0')}`,
    roleName: `Role number ${i}`,
    activityCodes: [],
    activities: [],
    workgroupCodes: [],
    workgroups: [],
    areaOfWorkCodes: [],
    areasOfWork: [],
  }));
  return createUser({ [RBAC_USER]: { uid: uniqueUid(), identityAssuranceLevel: 3, organisations: ORGS, roles } });
}

const roleIds = (person: ScimUser): string[] => person[RBAC_USER].roles.map((r: { id: string }) => r.id);
const SELECTEDROLE = { scope: 'openid selectedrole' };

async function atRoleChoice(count: number) {
  const app = testApp();
  const client = await registerClient();
  const person = await personWithRoles(count);
  const { authenticator } = await enrolPasskey({ person });
  const browser = new Browser(app.fetch);
  await browser.navigate(authorizePath(client, SELECTEDROLE));
  const page = await signInAndContinue(browser, authenticator);
  return { app, client, person, authenticator, browser, page };
}

function csrfToken(html: string): string {
  return /name="csrf_token" value="([^"]+)"/.exec(html)![1]!;
}

describe('role choice (contract §6, §8)', () => {
  it('signs a person with no roles in without selected_roleid', async () => {
    const { app, page } = await atRoleChoice(0);
    expect(redirectParams(page).code).toBeDefined();
    expect(app.issued[0]!.selectedRoleId).toBeNull();
  });

  it('lets the role form\'s answer redirect to the client: CSP form-action names its origin (CSP3 §6.4.1, checked on redirects too)', async () => {
    const { page } = await atRoleChoice(2);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' https://rp.example.com;");
  });

  it('chooses the only role without a page', async () => {
    const { app, page, person } = await atRoleChoice(1);
    expect(redirectParams(page).code).toBeDefined();
    expect(app.issued[0]!.selectedRoleId).toBe(roleIds(person)[0]);
  });

  it('asks nothing when selectedrole is not requested', async () => {
    const app = testApp();
    const client = await registerClient();
    const { authenticator } = await enrolPasskey({ person: await personWithRoles(3) });
    const done = await authorize(new Browser(app.fetch), client, authenticator);
    expect(redirectParams(done).code).toBeDefined();
    expect(app.issued[0]!.selectedRoleId).toBeNull();
  });

  it('lists two roles as radios labelled with role and organisation, a Continue button, no search box', async () => {
    const { browser, page } = await atRoleChoice(2);
    expect(page.status).toBe(200);
    expect(browser.url.pathname).toBe('/select-role');
    const html = await page.text();
    expect(html.match(/type="radio"/g)).toHaveLength(2);
    expect(html).toMatch(/<label[^>]*>Role number 0, Example NHS Trust \(RX1\)<\/label>/);
    expect(html).toMatch(/<label[^>]*>Role number 1, Riverside Practice \(Y55\)<\/label>/);
    expect(html).toMatch(/<button type="submit"[^>]*>\s*Continue\s*<\/button>/);
    expect(html).not.toContain('type="search"');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('adds a search box with an external script past five roles; every radio is still there', async () => {
    const { page } = await atRoleChoice(6);
    const html = await page.text();
    expect(html.match(/type="radio"/g)).toHaveLength(6);
    expect(html).toMatch(/<input[^>]*type="search"/);
    expect(html).toMatch(/<script src="\/assets\/role-search.js" defer/);
    const script = await call('/assets/role-search.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('keeps the choice, issues with it, and does not ask again in the same session', async () => {
    const { app, browser, page, person, client } = await atRoleChoice(2);
    const html = await page.text();
    const chosen = roleIds(person)[1]!;
    const posted = await browser.postForm(browser.url.pathname + browser.url.search, { csrf_token: csrfToken(html), role: chosen });
    expect(posted.status).toBe(303);
    const done = await browser.navigate(posted.headers.get('location')!);
    expect(redirectParams(done).code).toBeDefined();
    expect(app.issued[0]!.selectedRoleId).toBe(chosen);

    const again = await browser.fetch(authorizePath(client, SELECTEDROLE));
    expect(redirectParams(again).code).toBeDefined();
    expect(app.issued[1]!.selectedRoleId).toBe(chosen);

    const none = await browser.fetch(authorizePath(client, { ...SELECTEDROLE, prompt: 'none' }));
    expect(redirectParams(none).code).toBeDefined();
  });

  it('asks again under prompt=login (contract §8)', async () => {
    const { browser, page, person, client, authenticator } = await atRoleChoice(2);
    const first = await browser.postForm(browser.url.pathname + browser.url.search, { csrf_token: csrfToken(await page.text()), role: roleIds(person)[0]! });
    await browser.navigate(first.headers.get('location')!);
    await browser.navigate(authorizePath(client, { ...SELECTEDROLE, prompt: 'login' }));
    const again = await signInAndContinue(browser, authenticator);
    expect(browser.url.pathname).toBe('/select-role');
    expect(again.status).toBe(200);
  });

  it('refuses a role form without the CSRF token (403) or with another one, and keeps asking for a missing role', async () => {
    const { browser, page } = await atRoleChoice(2);
    const path = browser.url.pathname + browser.url.search;
    const html = await page.text();
    const missing = await browser.postForm(path, { role: 'x' });
    expect(missing.status).toBe(403);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await browser.postForm(path, { role: 'x', csrf_token: 'forged' })).status).toBe(403);
    const noRole = await browser.postForm(path, { csrf_token: csrfToken(html) });
    expect(noRole.status).toBe(400);
    expect(await noRole.text()).toMatch(/role="alert"[^>]*>.*Select the role/s);
    const unknownRole = await browser.postForm(path, { csrf_token: csrfToken(html), role: 'not-theirs' });
    expect(unknownRole.status).toBe(400);
  });

  it('answers prompt=none with interaction_required when a role must be chosen', async () => {
    const { client, browser } = await atRoleChoice(2);
    const res = await browser.fetch(authorizePath(client, { ...SELECTEDROLE, prompt: 'none', state: 'ir' }));
    expect(redirectParams(res)).toMatchObject({ error: 'interaction_required', state: 'ir' });
  });
});
