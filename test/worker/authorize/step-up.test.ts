import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { issuer } from '../../support/worker/requests.ts';
import { authorize, authorizePath, passkeySignIn, signInAndContinue } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

/** A person holding a synced passkey (AAL2) and a device-bound security key (AAL3), contract §8. */
async function personWithBoth() {
  const synced = await enrolPasskey({ create: { backedUp: true } });
  const bound = await enrolPasskey({ person: synced.person });
  return { person: synced.person, synced: synced.authenticator, bound: bound.authenticator, boundId: bound.credentialId };
}

describe('step-up (contract §8)', () => {
  it('signs in again at AAL3 in the same session: same sid, new acr, cookie secret rotated', async () => {
    const app = testApp();
    const client = await registerClient();
    const { synced, bound, boundId } = await personWithBoth();
    const browser = new Browser(app.fetch);
    await browser.navigate(authorizePath(client));
    const first = await signInAndContinue(browser, synced);
    expect(redirectParams(first).code).toBeDefined();
    expect(app.issued[0]).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', authentication: { aal: 2 } });
    const cookieBefore = browser.cookie('session')!.value;

    const page = await browser.navigate(authorizePath(client, { acr_values: 'AAL3_ANY', state: 'up' }));
    expect(browser.url.pathname).toBe('/signin');
    expect(await page.text()).toMatch(/needs a stronger sign-in/);

    // The synced passkey is not enough; the person is told and may try again (the session is unchanged).
    const weak = await passkeySignIn(browser, synced);
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({ error: 'unmet_authentication_requirements', error_description: expect.stringMatching(/not strong enough/) });
    expect(browser.cookie('session')!.value).toBe(cookieBefore);

    const done = await signInAndContinue(browser, bound);
    expect(redirectParams(done)).toMatchObject({ code: expect.any(String), state: 'up', iss: issuer });
    const [before, after] = app.issued;
    expect(after).toMatchObject({ acr: 'AAL3_ANY', authentication: { aal: 3, credentialId: boundId } });
    expect(after!.sessionId).toBe(before!.sessionId);
    const cookieAfter = browser.cookie('session')!.value;
    expect(cookieAfter).not.toBe(cookieBefore);
    expect(cookieAfter.split('.')[0]).toBe(cookieBefore.split('.')[0]);
  });

  it('ends with unmet_authentication_requirements, no page, when the person holds nothing strong enough', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey({ create: { backedUp: true } });
    const browser = new Browser();
    await authorize(browser, client, authenticator);
    const res = await browser.fetch(authorizePath(client, { acr_values: 'AAL3_ANY', state: 'unmet' }));
    expect(res.status).toBe(302);
    expect(redirectParams(res)).toMatchObject({ error: 'unmet_authentication_requirements', state: 'unmet', iss: issuer });
  });

  it('ends with unmet_authentication_requirements after a first sign-in that cannot meet the class', async () => {
    const client = await registerClient();
    const { authenticator } = await enrolPasskey({ create: { backedUp: true } });
    const browser = new Browser();
    await browser.navigate(authorizePath(client, { acr_values: 'AAL3_FIDO2', state: 'first' }));
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ error: 'unmet_authentication_requirements', state: 'first', iss: issuer });
  });

  it('reports the first requested class met, in request order', async () => {
    const app = testApp();
    const client = await registerClient();
    const { authenticator } = await enrolPasskey();
    const browser = new Browser(app.fetch);
    await authorize(browser, client, authenticator, { acr_values: 'AAL2_TOTP AAL2_FIDO2 AAL3_ANY' });
    expect(app.issued[0]!.acr).toBe('AAL2_FIDO2');
  });

  it('honours an essential acr in the claims parameter (OIDC Core §5.5.1.1)', async () => {
    const app = testApp();
    const client = await registerClient();
    const synced = await enrolPasskey({ create: { backedUp: true } });
    const browser = new Browser(app.fetch);
    await authorize(browser, client, synced.authenticator);
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ['AAL3_FIDO2'] } } });
    const refused = await browser.fetch(authorizePath(client, { claims, state: 'c' }));
    expect(redirectParams(refused)).toMatchObject({ error: 'unmet_authentication_requirements', state: 'c' });

    const bound = await enrolPasskey();
    const other = new Browser(app.fetch);
    await authorize(other, client, bound.authenticator, { claims });
    expect(app.issued.at(-1)!.acr).toBe('AAL3_FIDO2');
  });

  it("applies the client's default_acr_values when the request names none", async () => {
    const app = testApp();
    const client = await registerClient({ redirect_uris: ['https://rp.example.com/cb'], default_acr_values: ['AAL2_OR_AAL3_ANY'] });
    const { authenticator } = await enrolPasskey();
    await authorize(new Browser(app.fetch), client, authenticator);
    expect(app.issued[0]!.acr).toBe('AAL2_OR_AAL3_ANY');
  });
});
