import { describe, expect, it } from 'vitest';
import { ACR_CLASSES, type AcrClass } from '../../../src/assurance/acr.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { createPasswordPerson, passwordSignInAndContinue } from '../../support/worker/password.ts';
import { issuer } from '../../support/worker/requests.ts';
import { authorizePath, signInAndContinue } from '../../support/sign-in.ts';
import { testApp, type TestApp } from '../../support/worker/test-app.ts';

type Kind = 'device-bound passkey (AAL3)' | 'synced passkey (AAL2)' | 'password + TOTP (AAL2)' | 'password alone (AAL1)';

/** Contract §8: which classes a session of each kind meets; the rest end unmet (the person holds nothing stronger). */
const MET: Record<Kind, { strongest: AcrClass; met: AcrClass[] }> = {
  'device-bound passkey (AAL3)': { strongest: 'AAL3_ANY', met: ['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL3_FIDO2', 'AAL2_FIDO2'] },
  'synced passkey (AAL2)': { strongest: 'AAL2_OR_AAL3_ANY', met: ['AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL2_FIDO2'] },
  'password + TOTP (AAL2)': { strongest: 'AAL2_OR_AAL3_ANY', met: ['AAL2_OR_AAL3_ANY', 'AAL2_ANY', 'AAL1_USERPASS', 'AAL2_TOTP'] },
  'password alone (AAL1)': { strongest: 'AAL1_USERPASS', met: ['AAL1_USERPASS'] },
};

/** A browser signed in with one authenticator of `kind`, which is all the person holds. */
async function signedIn(kind: Kind, app: TestApp, client: RegisteredClient): Promise<Browser> {
  const browser = new Browser(app.fetch);
  await browser.navigate(authorizePath(client));
  if (kind.includes('passkey')) {
    const { authenticator } = await enrolPasskey({ create: { backedUp: kind.startsWith('synced') } });
    await signInAndContinue(browser, authenticator);
  } else {
    await passwordSignInAndContinue(browser, await createPasswordPerson({ app: kind.includes('TOTP') }));
  }
  return browser;
}

describe('every acr class against sessions of each level (contract §8)', () => {
  it.each(Object.keys(MET) as Kind[])('a session from a %s meets exactly its classes', async (kind) => {
    const app = testApp();
    const client = await registerClient();
    const browser = await signedIn(kind, app, client);
    expect(app.issued[0]!.acr).toBe(MET[kind].strongest);
    for (const acr of ACR_CLASSES) {
      const res = await browser.fetch(authorizePath(client, { acr_values: acr, state: acr }));
      const params = redirectParams(res);
      if (MET[kind].met.includes(acr)) {
        expect(params, acr).toMatchObject({ code: expect.any(String), state: acr, iss: issuer });
        expect(app.issued.at(-1)!.acr).toBe(acr);
      } else {
        expect(params, acr).toMatchObject({ error: 'unmet_authentication_requirements', state: acr });
      }
    }
  });
});

describe('step-up with passwords (contract §8)', () => {
  it('steps up from password + TOTP (AAL2) to a device-bound passkey (AAL3) in the same session', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const { authenticator, credentialId } = await enrolPasskey({ person: who.person });
    const browser = new Browser(app.fetch);
    await browser.navigate(authorizePath(client));
    await passwordSignInAndContinue(browser, who);
    expect(app.issued[0]).toMatchObject({ acr: 'AAL2_OR_AAL3_ANY', authentication: { amr: ['PWD', 'TOTP'] } });

    const page = await browser.navigate(authorizePath(client, { acr_values: 'AAL3_ANY', state: 'up' }));
    expect(await page.text()).toMatch(/needs a stronger sign-in/);
    // The password again is not enough; the person is told on the page and may use the passkey.
    const weak = await passwordSignInAndContinue(browser, who).catch((err: Error) => err);
    expect(String(weak)).toMatch(/answered 400/);
    const done = await signInAndContinue(browser, authenticator);
    expect(redirectParams(done)).toMatchObject({ code: expect.any(String), state: 'up' });
    expect(app.issued[1]).toMatchObject({ acr: 'AAL3_ANY', authentication: { aal: 3, credentialId } });
    expect(app.issued[1]!.sessionId).toBe(app.issued[0]!.sessionId);
  });

  it('ends with unmet_authentication_requirements for someone holding only a password and app asked for AAL3', async () => {
    const app = testApp();
    const client = await registerClient();
    const browser = new Browser(app.fetch);
    await browser.navigate(authorizePath(client, { acr_values: 'AAL3_ANY', state: 'three' }));
    const done = await passwordSignInAndContinue(browser, await createPasswordPerson());
    expect(redirectParams(done)).toMatchObject({ error: 'unmet_authentication_requirements', state: 'three', iss: issuer });
    expect(app.issued).toHaveLength(0);
  });

  it('asks a password session older than max_age to sign in again, and reports the new auth_time (OIDC Core §3.1.2.1)', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = new Browser(app.fetch);
    await browser.navigate(authorizePath(client));
    await passwordSignInAndContinue(browser, who);
    const first = app.issued[0]!.authentication.authTime;
    app.advance(301_000);
    await browser.navigate(authorizePath(client, { max_age: '300' }));
    expect(browser.url.pathname).toBe('/signin');
    const done = await passwordSignInAndContinue(browser, who, app.ports.now());
    expect(redirectParams(done).code).toBeDefined();
    expect(app.issued[1]!.authentication.authTime).toBeGreaterThanOrEqual(first + 301);
  });

  it('asks again on prompt=login, with the password form', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson({ app: false });
    const browser = new Browser(app.fetch);
    await browser.navigate(authorizePath(client));
    await passwordSignInAndContinue(browser, who);
    await browser.navigate(authorizePath(client, { prompt: 'login' }));
    expect(browser.url.pathname).toBe('/signin');
    await passwordSignInAndContinue(browser, who);
    expect(app.issued).toHaveLength(2);
  });
});
