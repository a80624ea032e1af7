// The device authorization grant (RFC 8628) end to end against `npm start`:
// openid-client v6 is the device (initiateDeviceAuthorization,
// pollDeviceAuthorizationGrant), Chromium with a virtual authenticator is the
// person at verification_uri, signing in with a passkey, choosing a role and
// approving. Also: denial, two polls racing at approval, user codes typed in
// other forms, Unicode look-alikes, and axe-core on every device page.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticatorPage } from '../support/node/assurance-browser.ts';
import type { Page } from '../support/node/browser.ts';
import { createPerson, register } from '../support/node/contract.ts';
import { useBrowser, useStack } from '../support/node/lifecycle.ts';
import { discoverClient } from '../support/node/openid-client.ts';
import { checkPage, type PageReport } from '../support/node/page-checks.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const UID = '555000000888';
const SCOPE = 'openid profile selectedrole';
/** Two roles in one trust, so that selectedrole asks the person to choose (contract §8). */
const ROLES = [
  { orgCode: 'RX1', roleCode: 'S8000:G8000:R8000', roleName: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"' },
  { orgCode: 'RX1', roleCode: 'S8000:G8000:R8001', roleName: '"Clinical":"Clinical Provision":"Nurse Access Role"' },
];

const stack = useStack('device');
const browser = useBrowser();
let person: AuthenticatorPage;
let config: oidc.Configuration;
let clientId: string;
let roleIds: string[];
const reports: PageReport[] = [];

beforeAll(async () => {
  const created = await createPerson(stack, {
    userName: 'device.person',
    name: { givenName: 'Dev', familyName: 'Ice' },
    rbac: { uid: UID, identityAssuranceLevel: 3, organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }], roles: ROLES },
  });
  roleIds = created.roleIds;
  // A device-bound passkey: AAL3.
  person = await AuthenticatorPage.enrolled(browser(), stack, created.id);

  // A ward tablet: a public client (RFC 8628 §3.1), with refresh tokens.
  ({ client_id: clientId } = await register(stack, {
    client_name: 'Ward tablet',
    grant_types: [DEVICE_GRANT, 'refresh_token'],
    token_endpoint_auth_method: 'none',
    scope: SCOPE,
  }));
  config = await discoverClient(stack, clientId, undefined, oidc.None());
});

afterAll(async () => {
  await person?.close();
});

/** Types a code on the verification page and presses Continue. */
async function enterCode(page: Page, code: string): Promise<void> {
  await page.goto(`${stack.url}/device`);
  await page.getByLabel('Code from your device').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** A raw poll, as a device without a library would send it. */
function poll(deviceCode: string): Promise<Response> {
  return fetch(`${stack.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId }),
  });
}

describe('openid-client v6 as the device, Chromium as the person (RFC 8628)', () => {
  it('discovers device_authorization_endpoint and the device_code grant (RFC 8628 §4)', () => {
    const server = config.serverMetadata();
    expect(server.device_authorization_endpoint).toBe(`${stack.url}/device_authorization`);
    expect(server.grant_types_supported).toContain(DEVICE_GRANT);
  });

  it('signs in with a passkey at verification_uri_complete, chooses a role, approves, and the polling device gets tokens once (§3.1–§3.5)', async () => {
    const authorization = await oidc.initiateDeviceAuthorization(config, { scope: SCOPE, acr_values: 'AAL3_ANY' });
    expect(authorization.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(authorization).toMatchObject({ verification_uri: `${stack.url}/device`, expires_in: 600, interval: 5 });
    const polled = oidc.pollDeviceAuthorizationGrant(config, authorization);

    const { page } = person;
    await page.goto(authorization.verification_uri_complete!);
    // §3.3.1: the code arrives filled in, and the person still confirms it.
    await expect.poll(() => page.getByLabel('Code from your device').inputValue()).toBe(authorization.user_code);
    reports.push(await checkPage(page, 'device-code'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
    expect(await page.title()).toMatch(/Ward tablet/);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // Contract §8: two roles and selectedrole asked: the choice, then approval.
    await page.getByRole('radio', { name: /Nurse Access Role/ }).check({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: /Allow Ward tablet/ }).waitFor();
    expect(await page.textContent('main')).toContain(authorization.user_code);
    expect(await page.textContent('main')).toContain('The role you choose to act in');
    reports.push(await checkPage(page, 'device-approval'));
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: /Ward tablet/ }).waitFor();
    reports.push(await checkPage(page, 'device-approved'));

    const tokens = await polled;
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: stack.url, sub: UID, aud: clientId, acr: 'AAL3_ANY', amr: ['FIDO2'], selected_roleid: roleIds[1] });
    expect(claims.sid).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    // A second successful poll gets nothing (§3.5: the code is spent).
    const again = await poll(authorization.device_code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    // The refresh token works as a code flow's does (the grant lives in the person's session).
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('answers access_denied to the device after the person presses Deny, reusing the signed-in session (§3.5)', async () => {
    const authorization = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const polled = oidc.pollDeviceAuthorizationGrant(config, authorization);
    const { page } = person;
    await enterCode(page, authorization.user_code);
    // Single sign-on: straight to the approval page.
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('status').filter({ hasText: /denied/ }).waitFor();
    reports.push(await checkPage(page, 'device-denied'));
    await expect(polled).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('gives tokens to exactly one of two polls racing at approval', async () => {
    const authorization = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const { page } = person;
    await enterCode(page, authorization.user_code);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: /Ward tablet/ }).waitFor();
    const answers = await Promise.all([poll(authorization.device_code), poll(authorization.device_code)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    const loser = answers.find((r) => r.status === 400)!;
    expect(await loser.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('takes the user code in any case, with or without dashes and spaces (RFC 8628 §6.1)', async () => {
    const { page } = person;
    const forms = (code: string) => [code.toLowerCase(), code.replace('-', ''), ` ${code.slice(0, 2)} ${code.slice(2, 4).toLowerCase()}${code.slice(4)} `];
    for (const variant of [0, 1, 2]) {
      const authorization = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
      await enterCode(page, forms(authorization.user_code)[variant]!);
      await page.getByRole('heading', { name: /Allow Ward tablet/ }).waitFor();
    }
  });

  it('refuses Unicode look-alikes and wrong codes with an error summary, without reaching approval', async () => {
    const { page } = person;
    const authorization = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const code = authorization.user_code;
    // Cyrillic and fullwidth letters in place of ASCII ones, and an en dash.
    const cyrillic = code.replace(/[BCHKMPTX]/, (ch) => ({ B: 'В', C: 'С', H: 'Н', K: 'К', M: 'М', P: 'Р', T: 'Т', X: 'Х' })[ch]!);
    const fullwidth = String.fromCharCode(code.charCodeAt(0) + 0xfee0) + code.slice(1);
    for (const typed of [cyrillic, fullwidth, code.replace('-', '\u2013')]) {
      if (typed === code) continue;
      await enterCode(page, typed);
      await page.locator('.nhsuk-error-summary').waitFor();
      expect(await page.textContent('.nhsuk-error-summary')).toMatch(/Enter the 8 letters/);
    }
    reports.push(await checkPage(page, 'device-code-error'));
    // A well-formed code that names nothing.
    await enterCode(page, code === 'BCDF-GHJK' ? 'BCDF-GHJL' : 'BCDF-GHJK');
    await page.locator('.nhsuk-error-summary').waitFor();
    expect(await page.textContent('.nhsuk-error-summary')).toMatch(/not right/);
    // The real code still works afterwards.
    await enterCode(page, code);
    await page.getByRole('heading', { name: /Allow Ward tablet/ }).waitFor();
  });

  it('has zero axe violations (WCAG 2.2 A and AA tags) and reflows at 320 px on every device page', () => {
    expect(reports.map((r) => r.name)).toEqual(expect.arrayContaining(['device-code', 'device-approval', 'device-approved', 'device-denied', 'device-code-error']));
    expect(reports.filter((r) => r.violations.length > 0)).toEqual([]);
    expect(reports.filter((r) => r.overflowAt320 > 0).map((r) => r.name)).toEqual([]);
  });
});
