// Anonymous page views open no server-side session; one opens only when a
// sign-in starts or an authorization request must be kept, and an address may
// open only so many (RATE_LIMIT_SESSIONS_PER_ADDRESS).
import { describe, expect, it } from 'vitest';
import { authorizePath } from '../../support/sign-in.ts';
import { Browser } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { createPasswordPerson, passwordSignIn } from '../../support/worker/password.ts';
import { testApp } from '../../support/worker/test-app.ts';
import { testPorts } from '../../support/worker/tokens.ts';

describe('no session for an anonymous page view', () => {
  it('shows the sign-in page with no session cookie, its form guarded by a double-submit token (OWASP CSRF)', async () => {
    const browser = new Browser();
    const res = await browser.fetch('/signin');
    expect(res.status).toBe(200);
    expect(browser.cookie('session')).toBeUndefined();
    const csrf = browser.cookie('signin-csrf')!;
    expect(csrf.raw).toMatch(/HttpOnly; SameSite=Strict/);
    expect(await res.text()).toContain(`name="csrf_token" value="${csrf.value}"`);
    // A second view keeps the same token and still opens nothing.
    await browser.fetch('/signin');
    expect(browser.cookie('signin-csrf')!.value).toBe(csrf.value);
    expect(browser.cookie('session')).toBeUndefined();
  });

  it('opens the session when the password sign-in succeeds, and not for a wrong password', async () => {
    const who = await createPasswordPerson();
    const browser = new Browser();
    await browser.navigate('/signin');
    const wrong = await passwordSignIn(browser, { ...who, password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(browser.cookie('session')).toBeUndefined();
    const res = await passwordSignIn(browser, who);
    expect(res.status).toBe(303);
    expect(browser.cookie('session')).toBeDefined();
  });

  it('refuses a session-less form whose token is not the cookie\'s (403)', async () => {
    const who = await createPasswordPerson();
    const browser = new Browser();
    await browser.fetch('/signin');
    const res = await browser.postForm('/signin/password', { csrf_token: 'x'.repeat(43), username: who.person.userName, password: who.password });
    expect(res.status).toBe(403);
    const bare = await new Browser().postForm('/signin/password', { csrf_token: browser.cookie('signin-csrf')!.value, username: who.person.userName, password: who.password });
    expect(bare.status).toBe(403);
    expect(browser.cookie('session')).toBeUndefined();
  });
});

describe('how many sessions an address may open (RATE_LIMIT_SESSIONS_PER_ADDRESS)', () => {
  it('refuses to open a session past the limit (too_many_requests at the redirect URI), while page views are not counted', async () => {
    const config = testPorts().config;
    const app = testApp({ config: { ...config, rateLimits: { ...config.rateLimits, sessionsPerAddress: 2 } } });
    const client = await registerClient();
    const headers = { 'cf-connecting-ip': '198.51.100.77' };
    for (let i = 0; i < 5; i++) expect((await new Browser(app.fetch).fetch('/signin', { headers })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const kept = new Browser(app.fetch);
      expect((await kept.fetch(authorizePath(client), { headers })).status).toBe(303);
      expect(kept.cookie('session')).toBeDefined();
    }
    const refused = new Browser(app.fetch);
    const res = await refused.fetch(authorizePath(client, { state: 'over' }), { headers });
    expect(refused.cookie('session')).toBeUndefined();
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('too_many_requests');
    // Another address is not affected.
    const other = new Browser(app.fetch);
    expect((await other.fetch(authorizePath(client), { headers: { 'cf-connecting-ip': '198.51.100.78' } })).status).toBe(303);
  });
});
