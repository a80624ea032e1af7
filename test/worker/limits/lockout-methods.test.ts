import { describe, expect, it } from 'vitest';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import type { Browser } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { addressHeader, lockFromManyAddresses, rightPassword, signInPage, wrongPassword } from '../../support/worker/lockout.ts';
import { createPasswordPerson, submitPasswordForm } from '../../support/worker/password.ts';
import { unique } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { passkeySignIn } from '../../support/sign-in.ts';
import { testApp } from '../../support/worker/test-app.ts';

/** A person with a password (no app) and a passkey. */
async function passwordAndPasskeyPerson() {
  const who = await createPasswordPerson({ app: false });
  const { authenticator } = await enrolPasskey({ person: who.person });
  return { who, authenticator };
}

describe('lockout per method: password failures never block a passkey (NIST SP 800-63B §5.2.2)', () => {
  it('locks only the password method when failures come from many addresses: a good passkey still signs in, the right password is refused', async () => {
    const app = testApp();
    const client = await registerClient();
    const { who, authenticator } = await passwordAndPasskeyPerson();
    expect(await lockFromManyAddresses(app, client, who.person.userName)).toBeGreaterThan(5);
    const fresh = await signInPage(app, client);
    const refused = await rightPassword(fresh, who, app);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('900');
    const passkey = await passkeySignIn(fresh, authenticator);
    expect(passkey.status).toBe(200);
    expect(await passkey.json()).toEqual({ redirect_to: expect.any(String) });
    const events = await auditEventsFor(who.person.id);
    expect(events.filter((e) => e.action === 'person.locked')).toMatchObject([{ details: { method: 'password', failures: 25 } }]);
    expect(events.at(-1)).toMatchObject({ action: 'signin', outcome: 'success', details: { method: 'passkey' } });
  });

  it('lets a good passkey sign in from an address whose password attempts are throttled (20 failures across usernames)', async () => {
    const app = testApp();
    const client = await registerClient();
    const { who, authenticator } = await passwordAndPasskeyPerson();
    const headers = addressHeader();
    const browser = await signInPage(app, client, headers);
    for (let i = 0; i < 20; i++) expect((await wrongPassword(browser, unique('nobody'))).status).toBe(401);
    const throttled = await rightPassword(browser, who, app);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('15');
    const elsewhere = await signInPage(app, client);
    expect((await rightPassword(elsewhere, who, app)).status).toBe(303);
    const sameAddress = await signInPage(app, client, headers);
    expect((await passkeySignIn(sameAddress, authenticator)).status).toBe(200);
  });

  it('counts failed passkey assertions per address only: that address waits, the person signs in elsewhere with the passkey and here with the password', async () => {
    const app = testApp();
    const client = await registerClient();
    const { who, authenticator } = await passwordAndPasskeyPerson();
    const headers = addressHeader();
    const browser = await signInPage(app, client, headers);
    // User verification missing: a refused assertion naming the person's credential.
    for (let i = 0; i < 20; i++) expect((await passkeySignIn(browser, authenticator, { userVerified: false })).status).toBe(400);
    const refused = await passkeySignIn(browser, authenticator);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('15');
    expect(await refused.json()).toEqual({ error: 'too_many_attempts', error_description: 'too many failed passkey attempts from this network; try again in 15 s' });
    expect((await auditEventsFor(who.person.id)).filter((e) => e.action.endsWith('.locked'))).toEqual([]);
    const elsewhere = await signInPage(app, client);
    expect((await passkeySignIn(elsewhere, authenticator)).status).toBe(200);
    const samePassword = await signInPage(app, client, headers);
    expect((await rightPassword(samePassword, who, app)).status).toBe(303);
  });

  it('counts wrong authenticator-app codes after the right password against the password method too', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const { authenticator } = await enrolPasskey({ person: who.person });
    const wrongCode = (browser: Browser) =>
      submitPasswordForm(browser, { username: who.person.userName, password: who.password, code: '000000' });
    expect(await lockFromManyAddresses(app, client, who.person.userName, wrongCode)).toBeGreaterThan(5);
    expect((await auditEventsFor(who.person.id)).filter((e) => e.action === 'person.locked')).toMatchObject([{ details: { method: 'password' } }]);
    const fresh = await signInPage(app, client);
    expect((await rightPassword(fresh, who, app)).status).toBe(429);
    expect((await passkeySignIn(fresh, authenticator)).status).toBe(200);
  });
});
