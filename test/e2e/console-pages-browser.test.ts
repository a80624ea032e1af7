// The console's applications, signing keys, audit and overview pages in
// Chromium against one `npm start`, driven as an operator would with the
// keyboard-reachable controls and without page script: register an application,
// rotate its secret, delete it, rotate the signing keys, filter the audit log
// and download it, read the overview. Every page state is checked with
// axe-core (WCAG 2.2 A and AA tags), for reflow at 320 px, and photographed at
// 1280 and 375 px (test-artifacts/pages/console-*.png).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuthenticatorPage } from '../support/node/assurance-browser.ts';
import type { Locator, Page } from '../support/node/browser.ts';
import { admin, personId } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { checkPage, expectAccessible, type PageReport } from '../support/node/page-checks.ts';

const stack = useStack('console-pages');
const browser = useBrowser();
const reports: PageReport[] = [];

/** checkPage once the page's stylesheets have loaded: axe's target-size measured unstyled links once. */
async function settledCheck(page: Page, name: string): Promise<PageReport> {
  await page.waitForLoadState('load');
  return checkPage(page, name);
}

/** Follows the link or presses the button, waits for the page headed `heading`, and checks it as `name`. */
async function openAndCheck(page: Page, control: Locator, heading: string, name: string): Promise<void> {
  await control.click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  reports.push(await settledCheck(page, name));
}

describe('the console pages in Chromium', () => {
  it('registers, rotates and deletes an application, rotates the keys, reads and exports the audit log and the overview; axe-clean throughout', async () => {
    // The demo operator from `npm start`'s seed, with a passkey kept on one device (AAL3).
    const operatorId = await personId(stack, 'kim.operator');
    const operator = await AuthenticatorPage.enrolled(browser(), stack, operatorId);
    const page = operator.page;
    await operator.signInWithPasskey(`${stack.url}/console/overview`);
    await page.waitForURL((url) => url.pathname === '/console/overview');

    // Overview: the operator's own sign-in is in it.
    await page.getByRole('img', { name: 'Successful sign-ins per hour, by method and assurance level' }).waitFor();
    expect(await page.getByRole('img', { name: 'Failed sign-ins and locks per hour' }).count()).toBe(1);
    expect(Number(await page.locator('[data-total="signins"]').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByRole('columnheader', { name: 'Passkey, AAL3' }).count()).toBe(1);
    reports.push(await settledCheck(page, 'console-overview'));

    // Applications: the list, then a refused registration, then a good one.
    await openAndCheck(page, page.getByRole('link', { name: 'Applications' }), 'Applications', 'console-applications');
    await openAndCheck(page, page.getByRole('button', { name: 'Register an application' }), 'Register an application', 'console-application-new');
    await page.getByLabel('Name', { exact: true }).fill('Ward rota');
    await page.getByLabel('Redirect URIs', { exact: true }).fill('http://rota.example.nhs.uk/callback');
    await page.getByRole('button', { name: 'Register the application' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.title()).toMatch(/^Error: Register an application/);
    reports.push(await settledCheck(page, 'console-application-new-error'));
    await page.getByLabel('Redirect URIs', { exact: true }).fill('https://rota.example.nhs.uk/callback');
    await page.getByRole('button', { name: 'Register the application' }).click();
    await page.getByRole('heading', { level: 1, name: 'Application registered' }).waitFor();
    const firstSecret = await page.locator('[data-secret="client_secret"]').textContent();
    expect(firstSecret).toMatch(/^[\w-]{43}$/);
    reports.push(await settledCheck(page, 'console-application-registered'));

    await page.getByRole('link', { name: "Go to the application's page" }).click();
    await page.getByRole('heading', { level: 1, name: 'Ward rota' }).waitFor();
    const clientId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(await page.content()).not.toContain(firstSecret!);
    reports.push(await settledCheck(page, 'console-application'));

    await openAndCheck(page, page.getByRole('button', { name: 'Rotate the client secret' }), 'Rotate the client secret of Ward rota', 'console-application-rotate');
    await page.getByRole('button', { name: 'Rotate the secret' }).click();
    await page.getByRole('heading', { level: 1, name: 'Client secret rotated' }).waitFor();
    expect(await page.locator('[data-secret="client_secret"]').textContent()).not.toBe(firstSecret);
    reports.push(await settledCheck(page, 'console-application-rotated'));

    await page.goto(`${stack.url}/console/applications/${clientId}/delete`);
    await page.getByRole('heading', { level: 1, name: 'Delete Ward rota' }).waitFor();
    reports.push(await settledCheck(page, 'console-application-delete'));
    await page.getByRole('button', { name: 'Delete the application' }).click();
    await page.getByRole('status').filter({ hasText: 'The application was deleted.' }).waitFor();
    expect((await admin(stack, `/register/${clientId}`)).status).toBe(401);

    // Signing keys: rotate, and the page says so.
    await openAndCheck(page, page.getByRole('link', { name: 'Signing keys' }), 'Signing keys', 'console-keys');
    const currentBefore = await page.locator('tr[data-alg="ES256"][data-state="current"] code').textContent();
    await page.getByRole('button', { name: 'Rotate the signing keys' }).click();
    await page.getByRole('status').filter({ hasText: 'The signing keys were rotated' }).waitFor();
    expect(await page.locator('tr[data-alg="ES256"][data-state="retired"] code').textContent()).toBe(currentBefore);
    reports.push(await settledCheck(page, 'console-keys-rotated'));

    // Audit: the console's own actions, in the operator's name; a bad filter; the CSV.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByLabel('Action').fill('client.secret_rotate');
    await page.getByRole('button', { name: 'Show events' }).click();
    await page.getByRole('status').filter({ hasText: '1 event on this page.' }).waitFor();
    expect(await page.getByRole('cell', { name: operatorId }).count()).toBe(1);
    reports.push(await settledCheck(page, 'console-audit'));
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the matching events as CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('"id","at","actor","action","subject","client_id","outcome","details","request_id"');
    expect(csv).toContain(`"${operatorId}","client.secret_rotate","${clientId}"`);
    await page.goto(`${stack.url}/console/audit?since=yesterday`);
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    reports.push(await settledCheck(page, 'console-audit-error'));
    await operator.close();

    expectAccessible(reports);
  });
});
