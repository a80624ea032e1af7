import { env } from 'cloudflare:test';
import { errorSummaryItems } from '../../support/pages.ts';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { createSessionStore } from '../../../workers/session-store.ts';
import type { Env } from '../../../workers/env.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerClient, type RegisteredClient } from '../../support/worker/clients.ts';
import { createPasswordPerson, passwordSignInAndContinue, submitPasswordForm, type PasswordPerson } from '../../support/worker/password.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';
import { adminCall, issuer, unique } from '../../support/worker/requests.ts';
import { auditEventsFor } from '../../support/worker/scim.ts';
import { authorizePath, passkeySignIn } from '../../support/sign-in.ts';
import { testApp, type TestApp } from '../../support/worker/test-app.ts';

const MINUTE = 60_000;

/** An app whose sessions live 10 minutes, so a session can expire while a 15-minute lock holds. */
function shortSessionApp(): TestApp {
  const config = readConfig(env as unknown as Record<string, unknown>);
  const short = { ...config, ttl: { ...config.ttl, sessionMaxAge: 600 } };
  return testApp({ config: short, sessions: createSessionStore((env as unknown as Env).SESSIONS, short) });
}

/** Each test its own address, so address counters never meet. */
const addressHeader = () => ({ 'cf-connecting-ip': `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1` });

async function signInPage(app: TestApp, client: RegisteredClient, headers = addressHeader()) {
  const browser = new Browser((request) => {
    for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
    return app.fetch(request);
  });
  await browser.navigate(authorizePath(client));
  return browser;
}

/** Repeats a failing attempt, waiting out each throttle, until the subject is locked (Retry-After 900). */
async function failUntilLocked(app: TestApp, attempt: () => Promise<Response>, failureStatus: number): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const res = await attempt();
    if (res.status === 429 && res.headers.get('retry-after') === '900') return;
    if (res.status === 429) app.advance(Number(res.headers.get('retry-after')) * 1000);
    else expect(res.status).toBe(failureStatus);
  }
  throw new Error('never locked');
}

const wrongPassword = (browser: Browser, who: PasswordPerson) =>
  submitPasswordForm(browser, { username: who.person.userName, password: 'not the password at all', code: '000000' });

describe('lockout after failed authentications (issue 4 point 5)', () => {
  it('throttles a person after 5 failures with Retry-After doubling, locks at 10 and audits person.locked', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = await signInPage(app, client);
    for (let i = 0; i < 4; i++) expect((await wrongPassword(browser, who)).status).toBe(401);
    const waits: string[] = [];
    for (let n = 5; n <= 9; n++) {
      expect((await wrongPassword(browser, who)).status).toBe(401);
      const throttled = await wrongPassword(browser, who);
      expect(throttled.status).toBe(429);
      waits.push(throttled.headers.get('retry-after')!);
      app.advance(Number(throttled.headers.get('retry-after')) * 1000);
    }
    expect(waits).toEqual(['15', '30', '60', '120', '240']);
    expect((await wrongPassword(browser, who)).status).toBe(401);
    const locked = await passwordSignInAttempt(browser, who, app);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(errorSummaryItems(await locked.text())).toEqual([expect.stringMatching(/^Sign-in is locked.* → #password$/)]);
    const events = await auditEventsFor(who.person.id);
    expect(events.filter((e) => e.action === 'person.locked')).toMatchObject([{ actor: 'system', details: { failures: 10 } }]);
    expect(events.at(-1)).toMatchObject({ action: 'signin', outcome: 'failure', details: { reason: 'locked' } });
  });

  it("keeps a locked person's existing session working until it expires, then refuses a new sign-in", async () => {
    const app = shortSessionApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const signedIn = await signInPage(app, client);
    await passwordSignInAndContinue(signedIn, who);
    const attacker = await signInPage(app, client);
    await failUntilLocked(app, () => wrongPassword(attacker, who), 401);
    expect((await passwordSignInAttempt(attacker, who, app)).status).toBe(429);
    // Single sign-on from the session held before the lock: a code, no page (contract §6).
    const sso = await signedIn.fetch(authorizePath(client, { state: 'sso' }));
    expect(redirectParams(sso)).toMatchObject({ code: expect.any(String), state: 'sso' });
    app.advance(11 * MINUTE);
    const expired = await signedIn.navigate(authorizePath(client));
    expect(expired.status).toBe(200);
    expect(signedIn.url.pathname).toBe('/signin');
    expect((await passwordSignInAttempt(signedIn, who, app)).status).toBe(429);
  });

  it('is lifted by POST /admin/users/{id}/unlock, after which the person signs in', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = await signInPage(app, client);
    await failUntilLocked(app, () => wrongPassword(browser, who), 401);
    expect((await passwordSignInAttempt(browser, who, app)).status).toBe(429);
    const unlock = await app.fetch(new Request(`${issuer}/admin/users/${who.person.id}/unlock`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }));
    expect(unlock.status).toBe(200);
    expect(await unlock.json()).toEqual({ locked: false, was_locked: true });
    const done = await passwordSignInAndContinue(browser, who, app.ports.now());
    expect(redirectParams(done).code).toBeDefined();
    expect((await auditEventsFor(who.person.id)).some((e) => e.action === 'person.unlocked')).toBe(true);
  });

  it('answers 404 for an unknown person and 401 without the admin token', async () => {
    expect((await adminCall(`/admin/users/${crypto.randomUUID()}/unlock`, { method: 'POST' })).status).toBe(404);
    const res = await adminCall(`/admin/users/${crypto.randomUUID()}/unlock`, { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
  });

  it('forgets failures once the window has passed (limits reset)', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = await signInPage(app, client);
    for (let i = 0; i < 4; i++) await wrongPassword(browser, who);
    app.advance(15 * MINUTE);
    await browser.navigate(authorizePath(client));
    for (let i = 0; i < 4; i++) expect((await wrongPassword(browser, who)).status).toBe(401);
    expect((await passwordSignInAttempt(browser, who, app)).status).toBe(303);
  });

  it('counts failed passkey assertions too, and refuses a good passkey while the person is locked', async () => {
    const app = testApp();
    const client = await registerClient();
    const { person, authenticator } = await enrolPasskey();
    const browser = await signInPage(app, client);
    await failUntilLocked(app, () => passkeySignIn(browser, authenticator, { userVerified: false }), 400);
    const refused = await passkeySignIn(browser, authenticator);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: 'too_many_attempts', error_description: expect.stringMatching(/locked/) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await auditEventsFor(person.id)).filter((e) => e.action === 'person.locked')).toHaveLength(1);
  });

  it('throttles an address after 20 failures across many usernames', async () => {
    const app = testApp();
    const client = await registerClient();
    const headers = addressHeader();
    const browser = await signInPage(app, client, headers);
    for (let i = 0; i < 20; i++) {
      const res = await submitPasswordForm(browser, { username: unique('nobody'), password: 'a wrong password here' });
      expect(res.status).toBe(401);
    }
    const who = await createPasswordPerson();
    const throttled = await passwordSignInAttempt(browser, who, app);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('15');
    const elsewhere = await signInPage(app, client);
    expect((await passwordSignInAttempt(elsewhere, who, app)).status).toBe(303);
  });
});

/** The right password and a fresh code, by the service's clock. */
async function passwordSignInAttempt(browser: Browser, who: PasswordPerson, app: TestApp): Promise<Response> {
  const code = await who.app!.code(app.ports.now());
  return submitPasswordForm(browser, { username: who.person.userName, password: who.password, code });
}
