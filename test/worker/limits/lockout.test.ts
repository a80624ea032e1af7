import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { createSessionStore } from '../../../workers/session-store.ts';
import type { Env } from '../../../workers/env.ts';
import { redirectParams } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { alertText, failUntilLocked, lockFromManyAddresses, rightPassword, signInPage, wrongPassword } from '../../support/worker/lockout.ts';
import { createPasswordPerson, PASSWORD, passwordSignInAndContinue } from '../../support/worker/password.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';
import { adminCall, issuer, unique } from '../../support/worker/requests.ts';
import { auditEventsFor, createUser, patchUser } from '../../support/worker/scim.ts';
import { authorizePath } from '../../support/sign-in.ts';
import { testApp, type TestApp } from '../../support/worker/test-app.ts';

const MINUTE = 60_000;

/** An app whose sessions live 10 minutes, so a session can expire while a 15-minute lock holds. */
function shortSessionApp(): TestApp {
  const config = readConfig(env as unknown as Record<string, unknown>);
  const short = { ...config, ttl: { ...config.ttl, sessionMaxAge: 600 } };
  return testApp({ config: short, sessions: createSessionStore((env as unknown as Env).SESSIONS, short) });
}

describe('lockout of the (address, username) pair before the person (NIST SP 800-63B §5.2.2)', () => {
  it('throttles one address trying one username after 5 failures with Retry-After doubling, locks the pair at 10 and audits pair.locked, while the person signs in from elsewhere', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = await signInPage(app, client);
    const username = who.person.userName;
    for (let i = 0; i < 4; i++) expect((await wrongPassword(browser, username)).status).toBe(401);
    const waits: string[] = [];
    for (let n = 5; n <= 9; n++) {
      expect((await wrongPassword(browser, username)).status).toBe(401);
      const throttled = await wrongPassword(browser, username);
      expect(throttled.status).toBe(429);
      waits.push(throttled.headers.get('retry-after')!);
      app.advance(Number(throttled.headers.get('retry-after')) * 1000);
    }
    expect(waits).toEqual(['15', '30', '60', '120', '240']);
    expect((await wrongPassword(browser, username)).status).toBe(401);
    const locked = await rightPassword(browser, who, app);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(alertText(await locked.text())).toMatch(/^Too many attempts; try again in 15 min, sign in with a passkey/);
    const events = await auditEventsFor(who.person.id);
    expect(events.filter((e) => e.action.endsWith('.locked'))).toMatchObject([{ action: 'pair.locked', actor: 'system', details: { method: 'password', failures: 10 } }]);
    expect(events.at(-1)).toMatchObject({ action: 'signin', outcome: 'failure', details: { reason: 'locked', limit: 'pair' } });
    // Ten failures from one address are far below the person's threshold: elsewhere, they sign in.
    const elsewhere = await signInPage(app, client);
    expect((await rightPassword(elsewhere, who, app)).status).toBe(303);
  });

  it('refuses an unknown username, a person without a password and a real person in the same words, status and Retry-After, throttled and locked (OWASP ASVS V2.2.1)', async () => {
    const app = testApp();
    const client = await registerClient();
    const real = await createPasswordPerson();
    const noPassword = await createUser();
    const refusals = [];
    for (const username of [unique('nobody'), noPassword.userName, real.person.userName]) {
      const browser = await signInPage(app, client);
      for (let i = 0; i < 5; i++) expect((await wrongPassword(browser, username)).status).toBe(401);
      const throttled = await wrongPassword(browser, username);
      const locked = await failUntilLocked(app, () => wrongPassword(browser, username), 401);
      refusals.push(
        await Promise.all(
          [throttled, locked].map(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), alert: alertText(await res.text()) })),
        ),
      );
    }
    expect(refusals[0]).toEqual([
      { status: 429, retryAfter: '15', alert: 'Too many attempts; try again in 15 s, sign in with a passkey, or ask your service desk for help' },
      { status: 429, retryAfter: '900', alert: 'Too many attempts; try again in 15 min, sign in with a passkey, or ask your service desk for help' },
    ]);
    expect(refusals[1]).toEqual(refusals[0]);
    expect(refusals[2]).toEqual(refusals[0]);
    // The audit log keeps what the page does not say.
    const refused = (await auditEventsFor(real.person.id)).filter((e) => e.action === 'signin' && e.outcome === 'failure' && e.details.limit);
    expect(new Set(refused.map((e) => `${e.details.reason} ${e.details.limit}`))).toEqual(new Set(['throttled pair', 'locked pair']));
  });

  it('never counts failures against a person who has no password, however many addresses send them', async () => {
    const app = testApp();
    const client = await registerClient();
    const person = await createUser();
    // Seven addresses, four failures each: 28, past the person-wide lock (25) had they counted.
    for (let a = 0; a < 7; a++) {
      const browser = await signInPage(app, client);
      for (let i = 0; i < 4; i++) expect((await wrongPassword(browser, person.userName)).status).toBe(401);
    }
    expect((await auditEventsFor(person.id)).filter((e) => e.action.endsWith('.locked'))).toEqual([]);
    expect((await patchUser(person.id, [{ op: 'add', path: 'password', value: PASSWORD }])).status).toBe(200);
    const browser = await signInPage(app, client);
    expect((await rightPassword(browser, { person, password: PASSWORD, app: null }, app)).status).toBe(303);
  });

  it('forgets failures once the window has passed (limits reset)', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const browser = await signInPage(app, client);
    for (let i = 0; i < 4; i++) await wrongPassword(browser, who.person.userName);
    app.advance(15 * MINUTE);
    await browser.navigate(authorizePath(client));
    for (let i = 0; i < 4; i++) expect((await wrongPassword(browser, who.person.userName)).status).toBe(401);
    expect((await rightPassword(browser, who, app)).status).toBe(303);
  });
});

describe('the person-wide password lock and its unlock (NIST SP 800-63B §5.2.2)', () => {
  it("keeps a locked person's existing session working until it expires, then refuses a new password sign-in", async () => {
    const app = shortSessionApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const signedIn = await signInPage(app, client);
    await passwordSignInAndContinue(signedIn, who);
    expect(await lockFromManyAddresses(app, client, who.person.userName)).toBeGreaterThan(5);
    // Single sign-on from the session held before the lock: a code, no page (contract §6).
    const sso = await signedIn.fetch(authorizePath(client, { state: 'sso' }));
    expect(redirectParams(sso)).toMatchObject({ code: expect.any(String), state: 'sso' });
    app.advance(11 * MINUTE);
    const expired = await signedIn.navigate(authorizePath(client));
    expect(expired.status).toBe(200);
    expect(signedIn.url.pathname).toBe('/signin');
    expect((await rightPassword(signedIn, who, app)).status).toBe(429);
  });

  it('is lifted by POST /admin/users/{id}/unlock, with the pair locks on the username, after which the person signs in where they failed', async () => {
    const app = testApp();
    const client = await registerClient();
    const who = await createPasswordPerson();
    const own = await signInPage(app, client);
    await failUntilLocked(app, () => wrongPassword(own, who.person.userName), 401);
    await lockFromManyAddresses(app, client, who.person.userName);
    // The sign-in request has expired meanwhile: the person starts again where they were.
    await own.navigate(authorizePath(client));
    expect((await rightPassword(own, who, app)).status).toBe(429);
    const unlock = await app.fetch(new Request(`${issuer}/admin/users/${who.person.id}/unlock`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } }));
    expect(unlock.status).toBe(200);
    expect(await unlock.json()).toEqual({ locked: false, was_locked: true });
    const done = await passwordSignInAndContinue(own, who, app.ports.now());
    expect(redirectParams(done).code).toBeDefined();
    const events = await auditEventsFor(who.person.id);
    expect(events.filter((e) => e.action.endsWith('locked')).map((e) => e.action)).toEqual(['pair.locked', 'person.locked', 'person.unlocked']);
  });

  it('answers 404 for an unknown person and 401 without the admin token', async () => {
    expect((await adminCall(`/admin/users/${crypto.randomUUID()}/unlock`, { method: 'POST' })).status).toBe(404);
    const res = await adminCall(`/admin/users/${crypto.randomUUID()}/unlock`, { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
  });
});
