// Assurance in a real browser (contract §8, docs/assurance.md): Debian Chromium with CDP virtual
// authenticators against one `npm start`: role choice with two and six roles,
// step-up from a synced passkey (AAL2) to a device-bound one (AAL3) in one
// session, and password + authenticator-app sign-in with JavaScript turned off.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticatorApp } from '../support/password-sign-in.ts';
import { AuthenticatorPage, authorizationUrl, idTokenClaims, registerRelyingParty, type TestRelyingParty } from '../support/node/assurance-browser.ts';
import { screenshot } from '../support/node/browser.ts';
import { admin, createPerson, rolesOver, type CreatedPerson } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { fromBase32 } from '../support/base32.ts';

const stack = useStack('assurance');
const browser = useBrowser();
let rp: TestRelyingParty;

beforeAll(async () => {
  rp = await registerRelyingParty(stack);
});

// One WebAuthn request at a time per browser: each test's context is closed after it.
const tabs: AuthenticatorPage[] = [];
function track(tab: AuthenticatorPage): AuthenticatorPage {
  tabs.push(tab);
  return tab;
}

afterEach(async () => {
  for (const tab of tabs.splice(0)) await tab.close();
});

const ORGS = [
  { orgCode: 'RX1', orgName: 'Example NHS Trust' },
  { orgCode: 'Y55', orgName: 'Riverside Practice' },
];
const ROLE_NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((name) => `Role ${name}`);

/** A person with `count` roles over two organisations (and `password`, if given). */
function personWithRoles(count: number, extra: Record<string, unknown> = {}): Promise<CreatedPerson> {
  return createPerson(stack, {
    userName: `e2e-${count}-${Math.random().toString(36).slice(2, 8)}`,
    name: { givenName: 'Test', familyName: `Person ${count}` },
    rbac: { identityAssuranceLevel: 3, organisations: ORGS, roles: rolesOver(ORGS, ROLE_NAMES.slice(0, count)) },
    extra,
  });
}

/** A person with `count` roles, signed in with a passkey, on the role page of a request for selectedrole. */
async function atRoleChoice(count: number): Promise<{ person: CreatedPerson; tab: AuthenticatorPage; verifier: string }> {
  const person = await personWithRoles(count);
  const tab = track(await AuthenticatorPage.enrolled(browser(), stack, person.id));
  const { url, verifier } = authorizationUrl(stack, rp, { scope: 'openid selectedrole' });
  await tab.signInWithPasskey(url);
  await tab.page.waitForURL(/\/select-role/);
  return { person, tab, verifier };
}

describe('role choice in a browser (contract §6, §8)', () => {
  it('lists two roles as radios labelled with role and organisation, without a search box', async () => {
    const { person, tab, verifier } = await atRoleChoice(2);
    await screenshot(tab.page, 'role-choice-two');
    await expect.poll(() => tab.page.getByRole('radio').count()).toBe(2);
    expect(await tab.page.getByRole('searchbox').count()).toBe(0);
    await tab.page.getByRole('radio', { name: 'Role beta' }).check();
    expect(await tab.page.getByText('Riverside Practice (Y55)').count()).toBe(1);
    await tab.page.getByRole('button', { name: 'Continue' }).click();
    const params = await tab.callbackParams();
    const claims = await idTokenClaims(stack, rp, params.get('code')!, verifier);
    expect(claims.selected_roleid).toBe(person.roleIds[1]);
  });

  it('adds a search box for six roles that narrows the list as the person types', async () => {
    const { person, tab, verifier } = await atRoleChoice(6);
    const radios = tab.page.getByRole('radio');
    await expect.poll(() => radios.count()).toBe(6);
    const search = tab.page.getByRole('searchbox', { name: 'Search your roles' });
    await search.fill('riverside');
    await expect.poll(() => tab.page.locator('.nhsuk-radios__item:visible').count()).toBe(3);
    await search.fill('epsilon');
    await expect.poll(() => tab.page.locator('.nhsuk-radios__item:visible').count()).toBe(1);
    await screenshot(tab.page, 'role-choice-six-filtered');
    await tab.page.getByRole('radio', { name: /Role epsilon/ }).check();
    await tab.page.getByRole('button', { name: 'Continue' }).click();
    const claims = await idTokenClaims(stack, rp, (await tab.callbackParams()).get('code')!, verifier);
    expect(claims.selected_roleid).toBe(person.roleIds[4]);
  });
});

describe('step-up in a browser (contract §8)', () => {
  it('signs in with a synced passkey at AAL2, then steps up with a device-bound one to AAL3 in the same session', async () => {
    const person = await personWithRoles(1);
    const phone = track(await AuthenticatorPage.enrolled(browser(), stack, person.id, { synced: true }));
    const first = authorizationUrl(stack, rp);
    await phone.signInWithPasskey(first.url);
    const aal2 = await idTokenClaims(stack, rp, (await phone.callbackParams()).get('code')!, first.verifier);
    expect(aal2).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', amr: ['FIDO2'], authentication_assurance_level: '2' });

    // The same browser session, now with a security key: the cookie jar moves to a
    // context whose one virtual authenticator is device-bound.
    const cookies = await phone.page.context().cookies();
    await phone.close();
    const key = track(await AuthenticatorPage.open(browser()));
    await key.page.context().addCookies(cookies);
    await key.attach(false);
    await key.enrolPasskey(stack, person.id);
    const second = authorizationUrl(stack, rp, { acr_values: 'AAL3_ANY' });
    await key.page.goto(second.url);
    await expect.poll(() => key.page.getByText(/needs a stronger sign-in/).count()).toBe(1);
    await screenshot(key.page, 'step-up');
    await key.page.getByRole('button', { name: /passkey/i }).click();
    const aal3 = await idTokenClaims(stack, rp, (await key.callbackParams()).get('code')!, second.verifier);
    expect(aal3).toMatchObject({ acr: 'AAL3_ANY', amr: ['FIDO2'], authentication_assurance_level: '3', sid: aal2.sid });
    expect(aal3.auth_time).toBeGreaterThanOrEqual(aal2.auth_time);
  });
});

describe('password + authenticator app in a browser without JavaScript (docs/assurance.md)', () => {
  it('sets up the app from the invitation page and signs in with password and code at AAL2', async () => {
    const password = 'a long and memorable passphrase';
    const person = await personWithRoles(1, { password });
    const tab = track(await AuthenticatorPage.open(browser(), { javaScript: false }));
    const invitation = await admin(stack, `/admin/users/${person.id}/enrolments`, 'POST');
    await tab.page.goto(invitation.json.url);
    expect(await tab.page.getByRole('img', { name: /QR code/ }).count()).toBe(1);
    await screenshot(tab.page, 'authenticator-app-setup');
    // What a person types into their app: the key shown as text on the page.
    const app = new AuthenticatorApp(fromBase32((await tab.page.locator('#totp-secret').textContent())!));
    await tab.page.getByLabel('Code from the app').fill(await app.code());
    await tab.page.getByRole('button', { name: 'Confirm the app' }).click();
    await expect.poll(() => tab.page.getByRole('status').textContent()).toMatch(/authenticator app is set up/);

    const { url, verifier } = authorizationUrl(stack, rp);
    await tab.page.goto(url);
    await tab.page.getByLabel('Username', { exact: true }).fill(person.userName);
    await tab.page.getByLabel('Password', { exact: true }).fill(password);
    await tab.page.getByLabel('Code from your authenticator app').fill(await app.code());
    await screenshot(tab.page, 'password-sign-in');
    await tab.page.getByRole('button', { name: 'Sign in with a password' }).click();
    const claims = await idTokenClaims(stack, rp, (await tab.callbackParams()).get('code')!, verifier);
    expect(claims).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', amr: ['PWD', 'TOTP'], authentication_assurance_level: '2' });
  });

  it('shows the refusal in the error summary, and stays on the page, when the password is wrong', async () => {
    const password = 'another long passphrase';
    const person = await personWithRoles(1, { password });
    const tab = track(await AuthenticatorPage.open(browser(), { javaScript: false }));
    await tab.page.goto(authorizationUrl(stack, rp).url);
    await tab.page.getByLabel('Username', { exact: true }).fill(person.userName);
    await tab.page.getByLabel('Password', { exact: true }).fill('not the passphrase at all');
    await tab.page.getByRole('button', { name: 'Sign in with a password' }).click();
    await expect.poll(() => tab.page.getByRole('alert').textContent()).toMatch(/not right/);
    expect(await tab.page.getByLabel('Username', { exact: true }).inputValue()).toBe(person.userName);
    expect(tab.callback).toBe('');
  });
});
