// POST /admin/users/{id}/enrolments (contract §5): a one-time invitation to enrol
// an authenticator, answered once and stored only as a hash.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enrolments } from '../../../schema/credentials.ts';
import { sha256 } from '../../../src/secrets.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';
import { ORIGIN, invite, postJson, registrationOptions, storedCredentialsOf } from '../../support/webauthn/enrolment.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { adminCall, adminJson, call, issuer } from '../../support/worker/requests.ts';
import { auditEventsFor, createUser } from '../../support/worker/scim.ts';
import { expectError as expectErrorBody } from '../../support/expect-error.ts';

const expectError = (res: Response, status: number, error: string) => expectErrorBody(res, status, error, { noStore: true, exact: true });

const DAY = 24 * 3600 * 1000;
const pathFor = (personId: string) => `/admin/users/${personId}/enrolments`;

function invitationsOf(personId: string) {
  return testDatabase().select().from(enrolments).where(eq(enrolments.personId, personId));
}

describe('POST /admin/users/{id}/enrolments (contract §5)', () => {
  it('answers 201 with exactly code, url and expires_at, the url being ISSUER/enrol/{code}', async () => {
    const person = await createUser();
    const res = await adminJson(pathFor(person.id), 'POST', {});
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['code', 'expires_at', 'url']);
    expect(body.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.url).toBe(`${issuer}/enrol/${body.code}`);
    expect(new Date(body.expires_at!).toISOString()).toBe(body.expires_at);
  });

  it('makes the invitation valid for 24 hours by default (ENROLMENT_TTL), also for a POST without a body', async () => {
    const person = await createUser();
    for (const send of [() => adminJson(pathFor(person.id), 'POST', {}), () => adminCall(pathFor(person.id), { method: 'POST' })]) {
      const before = Date.now();
      const res = await send();
      expect(res.status).toBe(201);
      const { expires_at } = (await res.json()) as { expires_at: string };
      expect(Date.parse(expires_at)).toBeGreaterThanOrEqual(before + DAY - 1000);
      expect(Date.parse(expires_at)).toBeLessThanOrEqual(Date.now() + DAY + 1000);
    }
    expect(await invitationsOf(person.id)).toHaveLength(2);
  });

  it.each([3600, 60, 30 * 24 * 3600])('honours {"expires_in": %i}', async (expiresIn) => {
    const person = await createUser();
    const before = Date.now();
    const res = await adminJson(pathFor(person.id), 'POST', { expires_in: expiresIn });
    expect(res.status).toBe(201);
    const { expires_at } = (await res.json()) as { expires_at: string };
    expect(Math.abs(Date.parse(expires_at) - (before + expiresIn * 1000))).toBeLessThan(2000);
    const [row] = await invitationsOf(person.id);
    expect(row!.expiresAt).toBe(Date.parse(expires_at));
    expect(row!.expiresAt - row!.createdAt).toBe(expiresIn * 1000);
  });

  it('stores only the SHA-256 of the code, unspent, and never the code itself', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const rows = await invitationsOf(person.id);
    expect(rows).toEqual([
      { id: expect.any(String), personId: person.id, codeHash: await sha256(code), createdAt: expect.any(Number), expiresAt: expect.any(Number), spentAt: null, createdBy: 'admin' },
    ]);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('audits enrolment.invite for the person, with the request id and without the code', async () => {
    const person = await createUser();
    const requestId = `invite-${crypto.randomUUID().slice(0, 8)}`;
    const res = await adminCall(pathFor(person.id), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: '{}',
    });
    const { code } = (await res.json()) as { code: string };
    const [row] = await invitationsOf(person.id);
    const events = (await auditEventsFor(person.id)).filter((e) => e.action === 'enrolment.invite');
    expect(events).toMatchObject([
      { actor: 'admin', subject: person.id, outcome: 'success', requestId, details: { invitationId: row!.id, expiresAt: row!.expiresAt } },
    ]);
    expect(JSON.stringify(events)).not.toContain(code);
  });
});

describe('POST /admin/users/{id}/enrolments refusals (contract §5 and §9)', () => {
  it.each([
    ['expires_in below 60', { expires_in: 59 }],
    ['expires_in above 30 days', { expires_in: 30 * 24 * 3600 + 1 }],
    ['a non-integer expires_in', { expires_in: 3600.5 }],
    ['expires_in as a string', { expires_in: '3600' }],
    ['an unknown member', { expires_in: 3600, scope: 'admin' }],
    ['a JSON array', [{ expires_in: 3600 }]],
    ['JSON null', null],
  ])('refuses %s with 400 invalid_request and stores nothing', async (_, body) => {
    const person = await createUser();
    await expectError(await adminJson(pathFor(person.id), 'POST', body), 400, 'invalid_request');
    expect(await invitationsOf(person.id)).toHaveLength(0);
  });

  it('answers 404 for an unknown user', async () => {
    const unknown = crypto.randomUUID();
    await expectError(await adminJson(pathFor(unknown), 'POST', {}), 404, 'not_found');
    expect(await invitationsOf(unknown)).toHaveLength(0);
  });

  it('answers 409 for a user SCIM made inactive (active: false)', async () => {
    const person = await createUser({ active: false });
    expect(person.active).toBe(false);
    await expectError(await adminJson(pathFor(person.id), 'POST', {}), 409, 'invalid_request');
    expect(await invitationsOf(person.id)).toHaveLength(0);
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token, and invalid_token for a wrong one (RFC 6750 §3)', async () => {
    const person = await createUser();
    const none = await call(pathFor(person.id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    await expectError(none, 401, 'invalid_token');
    const wrong = await adminCall(pathFor(person.id), { method: 'POST', headers: { authorization: 'Bearer not-the-admin-token' } });
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    await expectError(wrong, 401, 'invalid_token');
    expect(await invitationsOf(person.id)).toHaveLength(0);
  });

  it('answers malformed JSON with 400, a body of the wrong type with 415 and one over 1 MiB with 413', async () => {
    const person = await createUser();
    const post = (body: string, type: string) => adminCall(pathFor(person.id), { method: 'POST', headers: { 'content-type': type }, body });
    await expectError(await post('{"expires_in": 36', 'application/json'), 400, 'invalid_request');
    await expectError(await post('expires_in=3600', 'application/x-www-form-urlencoded'), 415, 'invalid_request');
    await expectError(await post('{"expires_in": 3600}', 'text/plain'), 415, 'invalid_request');
    const large = JSON.stringify({ expires_in: 3600, pad: 'x'.repeat(1024 * 1024) });
    await expectError(await post(large, 'application/json'), 413, 'invalid_request');
    expect(await invitationsOf(person.id)).toHaveLength(0);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow: POST', async (method) => {
    const person = await createUser();
    const res = await adminCall(pathFor(person.id), { method });
    expect(res.headers.get('allow')).toBe('POST');
    await expectError(res, 405, 'method_not_allowed');
    expect(await invitationsOf(person.id)).toHaveLength(0);
  });
});

describe('the invitation is one-time (contract §5)', () => {
  it('refuses the code with 400 invalid_code once a passkey registration has spent it', async () => {
    const person = await createUser();
    const { code } = await invite(person.id);
    const response = await new SoftwareAuthenticator().createCredential(await registrationOptions(code), { origin: ORIGIN });
    const verified = await postJson('/webauthn/registration/verify', { code, response });
    expect(verified.status).toBe(200);
    const [row] = await invitationsOf(person.id);
    expect(row!.spentAt).toEqual(expect.any(Number));

    await expectError(await postJson('/webauthn/registration/options', { code }), 400, 'invalid_code');
    // Replaying the verify that spent it is refused the same way, and stores nothing more.
    await expectError(await postJson('/webauthn/registration/verify', { code, response }), 400, 'invalid_code');
    expect(await storedCredentialsOf(person.id)).toHaveLength(1);
  });
});
