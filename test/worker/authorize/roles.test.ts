import { describe, expect, it } from 'vitest';
import { errorSummaryItems, inlineErrors, pageTitle } from '../../support/pages.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { call } from '../../support/worker/requests.ts';
import { auditEventsFor, bareRole, createUser, RBAC_USER, uniqueUid, type ScimUser } from '../../support/worker/scim.ts';
import { authorize, authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

const ORGS = [
  { orgCode: 'RX1', orgName: 'Example NHS Trust' },
  { orgCode: 'Y55', orgName: 'Riverside Practice' },
];

/** A person with `count` roles spread over two organisations. */
function personWithRoles(count: number, roleName = (i: number) => `Role number ${i}`): Promise<ScimUser> {
  const roles = Array.from({ length: count }, (_, i) => bareRole(ORGS[i % 2]!.orgCode, `S8000:G8000:R80${String(i).padStart(2, '0')}`, roleName(i)));
  return createUser({ [RBAC_USER]: { uid: uniqueUid(), identityAssuranceLevel: 3, organisations: ORGS, roles } });
}

const roleIds = (person: ScimUser): string[] => person[RBAC_USER].roles.map((r: { id: string }) => r.id);
const SELECTEDROLE = { scope: 'openid selectedrole' };

async function atRoleChoice(count: number, roleName?: (i: number) => string) {
  const app = testApp();
  const client = await registerClient();
  const person = await personWithRoles(count, roleName);
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
    expect(html).toMatch(/<label[^>]*for="role-0">Role number 0<\/label><div class="nhsuk-hint nhsuk-radios__hint app-wrap" id="role-0-hint">Example NHS Trust \(RX1\)<\/div>/);
    expect(html).toMatch(/<label[^>]*for="role-1">Role number 1<\/label><div class="nhsuk-hint nhsuk-radios__hint app-wrap" id="role-1-hint">Riverside Practice \(Y55\)<\/div>/);
    expect(html).toMatch(/<input[^>]*id="role-0"[^>]*aria-describedby="role-0-hint"/);
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

  it('labels a CIS2 quoted triple with its role name and never shows the triple (contract §8)', async () => {
    const names = ['Nurse Access Role', 'Clinical Practitioner Access Role'];
    const { page } = await atRoleChoice(2, (i) => `"Clinical":"Clinical Provision":"${names[i]}"`);
    const html = await page.text();
    expect(html).toMatch(/<label[^>]*for="role-0">Nurse Access Role<\/label><div[^>]*id="role-0-hint">Example NHS Trust \(RX1\)<\/div>/);
    expect(html).toMatch(/<label[^>]*for="role-1">Clinical Practitioner Access Role<\/label>/);
    expect(html).not.toContain('Clinical Provision');
    expect(html).not.toContain('&quot;Clinical&quot;');
  });

  it('narrows more than five roles with a search form that works without script (GET), and keeps the search on an unanswered submit', async () => {
    const { browser, page, person } = await atRoleChoice(7);
    const html = await page.text();
    expect(html).toMatch(/<form method="get" action="\/select-role" role="search"/);
    const interaction = browser.url.searchParams.get('interaction')!;
    const narrowed = await browser.fetch(`/select-role?interaction=${interaction}&q=${encodeURIComponent('number 3')}`);
    expect(narrowed.status).toBe(200);
    const narrowedHtml = await narrowed.text();
    expect(narrowedHtml.match(/type="radio"/g)).toHaveLength(1);
    expect(narrowedHtml).toContain(`value="${roleIds(person)[3]}"`);
    expect(narrowedHtml).toContain('1 of 7 roles match &quot;number 3&quot;.');
    expect(narrowedHtml).toMatch(/<a href="\/select-role\?interaction=[\w-]+">Show all 7 roles<\/a>/);
    // By organisation code too: the even roles are at RX1.
    const byOrg = await (await browser.fetch(`/select-role?interaction=${interaction}&q=y55`)).text();
    expect(byOrg.match(/type="radio"/g)).toHaveLength(3);
    const none = await (await browser.fetch(`/select-role?interaction=${interaction}&q=nothing-like-it`)).text();
    expect(none).not.toMatch(/type="radio"/);
    expect(none).toContain('No roles match your search');

    const action = /<form method="post" action="([^"]+)"/.exec(narrowedHtml)![1]!.replace(/&amp;/g, '&');
    expect(new URL(action, 'https://x').searchParams.get('q')).toBe('number 3');
    const unanswered = await browser.postForm(action, { csrf_token: csrfToken(html) });
    expect(unanswered.status).toBe(400);
    expect((await unanswered.text()).match(/type="radio"/g)).toHaveLength(1);
  });

  it('keeps the choice, audits it before answering, issues with it, and does not ask again in the same session', async () => {
    const { app, browser, page, person, client } = await atRoleChoice(2);
    const html = await page.text();
    const chosen = roleIds(person)[1]!;
    const posted = await browser.postForm(browser.url.pathname + browser.url.search, { csrf_token: csrfToken(html), role: chosen });
    expect(posted.status).toBe(303);
    const done = await browser.navigate(posted.headers.get('location')!);
    expect(redirectParams(done).code).toBeDefined();
    expect(app.issued[0]!.selectedRoleId).toBe(chosen);
    const chosenRole = person[RBAC_USER].roles[1] as { roleCode: string; orgCode: string };
    const audited = (await auditEventsFor(person.id)).filter((e) => e.action === 'role.choose');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: person.id, clientId: client.client_id, outcome: 'success' });
    expect(audited[0]!.details).toMatchObject({ roleId: chosen, roleCode: chosenRole.roleCode, orgCode: chosenRole.orgCode });

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
    const unanswered = await noRole.text();
    // NHS error summary first, the inline error at the radios, and "Error: " in the title.
    expect(errorSummaryItems(unanswered)).toEqual(['Select the role you will act in → #role-0']);
    expect(inlineErrors(unanswered)).toEqual(['Select the role you will act in']);
    expect(unanswered.indexOf('nhsuk-error-summary')).toBeLessThan(unanswered.indexOf('<h1>'));
    expect(unanswered).toMatch(/<fieldset class="nhsuk-fieldset" aria-describedby="role-hint role-error">/);
    expect(pageTitle(unanswered)).toBe('Error: Choose a role for Test relying party – Workforce identity');
    const unknownRole = await browser.postForm(path, { csrf_token: csrfToken(html), role: 'not-theirs' });
    expect(unknownRole.status).toBe(400);
  });

  it('answers prompt=none with interaction_required when a role must be chosen', async () => {
    const { client, browser } = await atRoleChoice(2);
    const res = await browser.fetch(authorizePath(client, { ...SELECTEDROLE, prompt: 'none', state: 'ir' }));
    expect(redirectParams(res)).toMatchObject({ error: 'interaction_required', state: 'ir' });
  });
});
