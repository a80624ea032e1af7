import { describe, expect, it } from 'vitest';
import { SOFTWARE_AAGUID } from '../../support/webauthn/authenticator.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser } from '../../support/worker/browser.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { adminCall } from '../../support/worker/requests.ts';
import { createUser, patchUser } from '../../support/worker/scim.ts';
import { authorize } from '../../support/sign-in.ts';

interface AuditPage {
  events: { id: number; at: string; actor: string; action: string; subject: string | null; client_id: string | null; outcome: string; details: Record<string, unknown> }[];
  next_cursor: string | null;
}

async function audit(query: Record<string, string>): Promise<AuditPage> {
  const res = await adminCall(`/admin/audit?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as AuditPage;
}

/** A person with several audited changes: create and four patches. */
async function personWithHistory() {
  const person = await createUser();
  for (const name of ['One', 'Two', 'Three', 'Four']) await patchUser(person.id, [{ op: 'replace', path: 'displayName', value: name }]);
  return person;
}

describe('GET /admin/audit (docs/assurance.md, audit queries)', () => {
  it('lists one person’s events newest first', async () => {
    const person = await personWithHistory();
    const page = await audit({ person: person.id });
    expect(page.events.map((e) => e.action)).toEqual(['person.patch', 'person.patch', 'person.patch', 'person.patch', 'person.create']);
    expect(page.events.every((e) => e.subject === person.id)).toBe(true);
    expect(page.events[0]).toMatchObject({ actor: 'admin', outcome: 'success', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(page.next_cursor).toBeNull();
  });

  it('pages with an opaque cursor: no event twice, none left out', async () => {
    const person = await personWithHistory();
    const first = await audit({ person: person.id, limit: '2' });
    expect(first.events).toHaveLength(2);
    expect(first.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await audit({ person: person.id, limit: '2', cursor: first.next_cursor! });
    const third = await audit({ person: person.id, limit: '2', cursor: second.next_cursor! });
    expect(third.next_cursor).toBeNull();
    const ids = [...first.events, ...second.events, ...third.events].map((e) => e.id);
    expect(ids).toHaveLength(5);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('filters by action, outcome, client and time range', async () => {
    const person = await personWithHistory();
    expect((await audit({ person: person.id, action: 'person.create' })).events).toHaveLength(1);
    expect((await audit({ person: person.id, outcome: 'failure' })).events).toHaveLength(0);
    const all = (await audit({ person: person.id })).events;
    const middle = all[2]!.at;
    const since = await audit({ person: person.id, since: middle });
    expect(since.events.map((e) => e.id)).toEqual(all.filter((e) => e.at >= middle).map((e) => e.id));
    const until = await audit({ person: person.id, until: middle });
    expect(until.events.every((e) => e.at < middle)).toBe(true);

    const client = await registerClient();
    const { authenticator, person: signedIn } = await enrolPasskey();
    await authorize(new Browser(), client, authenticator);
    const byClient = await audit({ client: client.client_id });
    expect(byClient.events.map((e) => e.action).sort()).toEqual(['authorize.success', 'client.register', 'signin']);
    expect(byClient.events.every((e) => e.client_id === client.client_id)).toBe(true);
    const bySubject = await audit({ client: client.client_id, person: signedIn.id });
    expect(bySubject.events.map((e) => e.action)).toEqual(['authorize.success', 'signin']);
  });

  it('records method, level and AAGUID on each authentication event', async () => {
    const client = await registerClient();
    const { authenticator, person } = await enrolPasskey();
    await authorize(new Browser(), client, authenticator);
    const [signin] = (await audit({ person: person.id, action: 'signin' })).events;
    expect(signin!.details).toMatchObject({ method: 'passkey', level: 3, amr: ['FIDO2'], aaguid: SOFTWARE_AAGUID });
  });

  it.each([
    ['a limit over 200', { limit: '201' }],
    ['a limit of 0', { limit: '0' }],
    ['an outcome that is not one', { outcome: 'maybe' }],
    ['a time that is not ISO 8601', { since: 'yesterday' }],
    ['a cursor it did not give', { cursor: 'bm90LWEtY3Vyc29y' }],
    ['an unknown parameter', { subject: 'x' }],
  ])('refuses %s with 400 invalid_request', async (_what, query) => {
    const res = await adminCall(`/admin/audit?${new URLSearchParams(query)}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('needs the admin token (401) and only GET (405)', async () => {
    expect((await adminCall('/admin/audit', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await adminCall('/admin/audit', { method: 'POST' })).status).toBe(405);
  });
});
