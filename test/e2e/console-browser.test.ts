// The operator console driven end to end in Chromium against one `npm start`:
// the demo operator signs in with a device-bound passkey (AAL3) through the
// service's own /authorize, finds a person, revokes their passkey, and that
// person's next sign-in with it fails. Every console page is checked with
// axe-core (WCAG 2.2 A and AA tags), for reflow at 320 px, and photographed at
// 1280 and 375 px (test-artifacts/pages/console-*.png).
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticatorPage, authorizationUrl, idTokenClaims, registerRelyingParty, type TestRelyingParty } from '../support/node/assurance-browser.ts';
import { admin, createPerson, personId } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { checkPage, expectAccessible, type PageReport } from '../support/node/page-checks.ts';

const stack = useStack('console');
const browser = useBrowser();
let rp: TestRelyingParty;
const reports: PageReport[] = [];

beforeAll(async () => {
  rp = await registerRelyingParty(stack);
});

describe('the operator console in Chromium', () => {
  it('an operator signs in with a passkey, finds a person, revokes their passkey, and the person can no longer sign in with it', async () => {
    // The demo operator from `npm start`'s seed, with a passkey kept on one device (AAL3).
    const operator = await AuthenticatorPage.enrolled(browser(), stack, await personId(stack, 'kim.operator'));

    // The person, with a device-bound passkey of their own, who signs in to a relying party.
    const familyName = `Console${Math.random().toString(36).slice(2, 7)}`;
    const person = await createPerson(stack, {
      userName: `console-${Math.random().toString(36).slice(2, 8)}`,
      name: { givenName: 'Riley', familyName },
      rbac: {
        identityAssuranceLevel: 3,
        organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }],
        roles: [{ orgCode: 'RX1', roleCode: 'S8000:G8000:R8001', roleName: '"Clinical":"Clinical Provision":"Nurse Access Role"' }],
      },
    });
    const tab = await AuthenticatorPage.enrolled(browser(), stack, person.id);
    const before = authorizationUrl(stack, rp);
    await tab.signInWithPasskey(before.url);
    expect(await idTokenClaims(stack, rp, (await tab.callbackParams()).get('code')!, before.verifier)).toMatchObject({ amr: ['FIDO2'] });
    // Not an operator: the console refuses them after sign-in.
    await tab.page.goto(`${stack.url}/console`);
    await tab.page.getByRole('heading', { name: 'You cannot use the operator console' }).waitFor();
    reports.push(await checkPage(tab.page, 'console-refused'));

    const page = operator.page;
    await operator.signInWithPasskey(`${stack.url}/console`);
    await page.waitForURL((url) => url.pathname === '/console/people');
    expect(await page.getByText('Signed in as Kim Operator').count()).toBe(1);
    reports.push(await checkPage(page, 'console-people'));

    await page.getByLabel('Name, username or uid').fill(familyName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: /1 person matching/ }).waitFor();
    reports.push(await checkPage(page, 'console-people-results'));
    await page.getByRole('link', { name: `Riley ${familyName}` }).click();
    await page.getByRole('heading', { level: 1, name: `Riley ${familyName}` }).waitFor();
    expect(await page.getByRole('cell', { name: 'Nurse Access Role' }).count()).toBe(1);
    reports.push(await checkPage(page, 'console-person'));

    await page.getByRole('button', { name: 'Create an enrolment invitation' }).click();
    await page.getByRole('img', { name: /QR code of the enrolment link/ }).waitFor();
    expect(await page.locator('#invitation-link').getAttribute('href')).toMatch(/\/enrol\/[A-Za-z0-9_-]{43}$/);
    reports.push(await checkPage(page, 'console-invitation'));
    await page.getByRole('link', { name: /^Back to/ }).click();

    await page.getByRole('button', { name: /^Revoke/ }).click();
    await page.getByRole('status').filter({ hasText: /revoked/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    reports.push(await checkPage(page, 'console-person-revoked'));

    // The person's next sign-in with the revoked passkey fails, and the client gets no code.
    await tab.signInWithPasskey(authorizationUrl(stack, rp).url);
    await tab.page.getByRole('alert').waitFor();
    expect(tab.callback).toBe('');
    expect(new URL(tab.page.url()).pathname).toBe('/signin');

    // The console's audit trail names the operator, not 'admin'.
    const audit = await admin(stack, `/admin/audit?person=${person.id}&action=authenticator.revoke`);
    expect(audit.json.events).toEqual([expect.objectContaining({ actor: await personId(stack, 'kim.operator'), outcome: 'success' })]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out of the operator console' }).waitFor();
    reports.push(await checkPage(page, 'console-signed-out'));
    await operator.close();
    await tab.close();

    expectAccessible(reports);
  });
});
