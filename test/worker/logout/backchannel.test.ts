import { eq } from 'drizzle-orm';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { clients } from '../../../schema/clients.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../../src/logout/backchannel-delivery.ts';
import { BACKCHANNEL_LOGOUT_EVENT } from '../../../src/logout/logout-token.ts';
import { authorize } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { redirectParams } from '../../support/worker/browser.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import {
  answerWith,
  deliveredTo,
  eventually,
  logoutQueue,
  queueAlarm,
  receivedAt,
  receiverKey,
  registerLogoutClient,
  runDeliveryAlarm,
  signInTo,
  type SignedIn,
} from '../../support/worker/logout.ts';
import { issuer } from '../../support/worker/requests.ts';
import { auditEventsFor, patchUser, RBAC_USER, scimRequest } from '../../support/worker/scim.ts';
import { publishedKeys } from '../../support/worker/tokens.ts';

const logOut = (s: SignedIn) => s.browser.fetch(`/logout?${new URLSearchParams({ id_token_hint: s.idToken })}`);

async function deliveryEvents(personId: string) {
  return (await auditEventsFor(personId)).filter((e) => e.action === 'logout.backchannel');
}

/** Waits until `count` delivery attempts are audited: best-effort rows, which may land just after the attempt. */
async function auditedAttempts(personId: string, count = 1) {
  return eventually(async () => {
    const events = await deliveryEvents(personId);
    return events.length >= count ? events : null;
  }, `${count} delivery attempt(s)`);
}

describe('back-channel logout tokens (OIDC Back-Channel Logout 1.0 §2.4, §2.5)', () => {
  it('POSTs a signed logout token to every client that shared the session and registered a backchannel_logout_uri', async () => {
    const [keyA, keyB] = [receiverKey(), receiverKey()];
    const a = await registerLogoutClient(keyA);
    const b = await registerLogoutClient(keyB, { id_token_signed_response_alg: 'ES256' });
    const silent = await registerLogoutClient(null);
    const s = await signInTo(a);
    // Single sign-on into the other two: the session now serves all three.
    for (const other of [b, silent]) expect(redirectParams(await authorize(s.browser, other, s.authenticator)).code).toBeDefined();

    expect((await logOut(s)).status).toBe(200);
    const [toA, toB] = await Promise.all([deliveredTo(keyA), deliveredTo(keyB)]);
    expect(toA).toHaveLength(1);
    expect(toB).toHaveLength(1);
    expect(toA[0]!.contentType).toBe('application/x-www-form-urlencoded');

    const keys = await publishedKeys();
    const uid = s.person[RBAC_USER].uid as string;
    for (const [client, delivery, alg] of [[a, toA[0]!, 'RS256'], [b, toB[0]!, 'ES256']] as const) {
      const token = delivery.logoutToken!;
      expect(decodeProtectedHeader(token)).toMatchObject({ alg, typ: 'logout+jwt' });
      const { payload } = await jwtVerify(token, keys, { issuer, audience: client.client_id, typ: 'logout+jwt', algorithms: [alg] });
      expect(payload).toEqual({
        iss: issuer,
        aud: client.client_id,
        iat: expect.any(Number),
        exp: payload.iat! + 120,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        sid: s.sessionId,
        sub: uid,
        events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      });
      expect(payload).not.toHaveProperty('nonce');
    }
    const events = await auditedAttempts(s.person.id, 2);
    expect(events.map((e) => [e.clientId, e.outcome, e.details.attempts]).sort()).toEqual(
      [[a.client_id, 'success', 1], [b.client_id, 'success', 1]].sort(),
    );
    // Delivered: the queue keeps nothing and sets no alarm.
    expect(await logoutQueue(s.sessionId).pending()).toEqual([]);
    expect(await queueAlarm(s.sessionId)).toBeNull();
  });

  it('retries a client that is down from the queue\'s alarm, with backoff, until it answers 2xx', async () => {
    const key = receiverKey();
    await answerWith(key, 503);
    const client = await registerLogoutClient(key);
    const s = await signInTo(client);
    await logOut(s);
    const [first] = await auditedAttempts(s.person.id);
    expect(first).toMatchObject({ outcome: 'failure', clientId: client.client_id, details: { attempts: 1, status: 503, final: false } });
    const [pending] = await logoutQueue(s.sessionId).pending();
    expect(pending).toMatchObject({ client_id: client.client_id, attempts: 1 });
    expect(pending!.next_at - Date.now()).toBeGreaterThan(RETRY_DELAYS_MS[0] - 5_000);
    expect(await queueAlarm(s.sessionId)).toBe(pending!.next_at);

    await answerWith(key, 204);
    expect(await runDeliveryAlarm(s.sessionId)).toBe(true);
    // Delivery attempts are best-effort audit rows (src/audit.ts): wait for the second to land.
    const events = await auditedAttempts(s.person.id, 2);
    expect(events.at(-1)).toMatchObject({ outcome: 'success', details: { attempts: 2, status: 204 } });
    const deliveries = await receivedAt(key);
    expect(deliveries).toHaveLength(2);
    // A fresh token per attempt, so none outlives its short exp.
    expect(deliveries[0]!.logoutToken).not.toBe(deliveries[1]!.logoutToken);
    expect(await logoutQueue(s.sessionId).pending()).toEqual([]);
    expect(await queueAlarm(s.sessionId)).toBeNull();
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and audits the last as final`, async () => {
    const client = await registerLogoutClient(null, { backchannel_logout_uri: `${inject('closedLoopbackUrl')}/logout` });
    const s = await signInTo(client);
    await logOut(s);
    const [first] = await auditedAttempts(s.person.id);
    expect(first!.details).toMatchObject({ attempts: 1, error: 'could not connect', final: false });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) expect(await runDeliveryAlarm(s.sessionId)).toBe(true);
    const events = await auditedAttempts(s.person.id, MAX_ATTEMPTS);
    expect(events.map((e) => e.details.attempts)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => e.outcome === 'failure')).toBe(true);
    expect(events.at(-1)!.details).toMatchObject({ final: true });
    expect(events.at(-1)!.details).not.toHaveProperty('next_attempt_at');
    expect(await logoutQueue(s.sessionId).pending()).toEqual([]);
    expect(await queueAlarm(s.sessionId)).toBeNull();
    expect(await runDeliveryAlarm(s.sessionId)).toBe(false);
  });

  it('does not follow a redirect: a 3xx answer is a failed attempt and the target hears nothing', async () => {
    const key = receiverKey();
    await answerWith(key, 302);
    const client = await registerLogoutClient(key);
    const s = await signInTo(client);
    await logOut(s);
    const [first] = await auditedAttempts(s.person.id);
    expect(first!.details).toMatchObject({ attempts: 1, status: 302, error: 'redirect not followed', final: false });
    expect(await receivedAt(`${key}-redirected`)).toEqual([]);
  });

  it('never calls a private address, even one stored before the rules (contract §3), and gives up at once', async () => {
    const client = await registerLogoutClient(receiverKey());
    const s = await signInTo(client);
    const [row] = await testDatabase().select().from(clients).where(eq(clients.clientId, client.client_id));
    await testDatabase()
      .update(clients)
      .set({ metadata: { ...row!.metadata, backchannel_logout_uri: 'http://169.254.169.254/latest' } })
      .where(eq(clients.clientId, client.client_id));
    await logOut(s);
    const [first] = await auditedAttempts(s.person.id);
    expect(first).toMatchObject({ outcome: 'failure', details: { attempts: 1, final: true } });
    expect(first!.details.error).toMatch(/private, link-local/);
    expect(await logoutQueue(s.sessionId).pending()).toEqual([]);
  });
});

describe('deactivation notifies the clients of every session it ends (contract §4, BCL §2.5)', () => {
  it.each([
    ['SCIM active:false', (id: string) => patchUser(id, [{ op: 'replace', path: 'active', value: false }])],
    ['SCIM DELETE', (id: string) => scimRequest(`/Users/${id}`, 'DELETE')],
  ])('%s sends one logout token per session, each with its sid and the person\'s uid', async (_, deactivate) => {
    const key = receiverKey();
    const client = await registerLogoutClient(key);
    const enrolled = await enrolPasskey();
    const [one, two] = [await signInTo(client, enrolled), await signInTo(client, enrolled)];
    expect(one.sessionId).not.toBe(two.sessionId);
    expect((await deactivate(enrolled.person.id)).status).toBeLessThan(300);
    const deliveries = await deliveredTo(key, 2);
    const keys = await publishedKeys();
    const claims = await Promise.all(deliveries.map(async (d) => (await jwtVerify(d.logoutToken!, keys, { audience: client.client_id })).payload));
    expect(claims.map((c) => c.sid).sort()).toEqual([one.sessionId, two.sessionId].sort());
    expect(claims.every((c) => c.sub === enrolled.person[RBAC_USER].uid)).toBe(true);
  });
});

describe('another person signing in on the same browser ends the first person\'s session as a logout would', () => {
  it('sends the first session\'s clients a logout token for its sid and audits the logout', async () => {
    const key = receiverKey();
    const client = await registerLogoutClient(key);
    const ada = await signInTo(client);
    const grace = await enrolPasskey();
    // Grace signs in on Ada's browser (prompt=login), and gets a session of her own.
    const done = await authorize(ada.browser, client, grace.authenticator, { prompt: 'login' });
    expect(redirectParams(done).code).toBeDefined();
    expect(ada.browser.cookie('session')!.value.split('.')[0]).not.toBe(ada.sessionId);

    const [delivery] = await deliveredTo(key);
    const { payload } = await jwtVerify(delivery!.logoutToken!, await publishedKeys(), { audience: client.client_id, typ: 'logout+jwt' });
    expect(payload.sid).toBe(ada.sessionId);
    expect(payload.sub).toBe(ada.person[RBAC_USER].uid);
    const logouts = (await auditEventsFor(ada.person.id)).filter((e) => e.action === 'logout');
    expect(logouts).toHaveLength(1);
    expect(logouts[0]!.details).toMatchObject({ sid: ada.sessionId, reason: 'replaced', clients: [client.client_id] });
  });
});
