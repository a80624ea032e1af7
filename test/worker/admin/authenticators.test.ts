// GET and DELETE /admin/users/{id}/authenticators (CONTRACT §10, NIST SP 800-63B §6.2):
// the operator lists a person's authenticators and revokes a lost or stolen one.
import { describe, expect, it } from 'vitest';
import { authorizePath, passkeySignIn } from '../../support/sign-in.ts';
import { enrolPasskey } from '../../support/webauthn/enrolment.ts';
import { Browser, redirectParams } from '../../support/worker/browser.ts';
import { registerLogoutClient, signInTo } from '../../support/worker/logout.ts';
import { adminCall, call } from '../../support/worker/requests.ts';
import { auditEventsFor, createUser, patchUser } from '../../support/worker/scim.ts';
import { introspect, refresh } from '../../support/worker/tokens.ts';

const listPath = (personId: string) => `/admin/users/${personId}/authenticators`;
const revoke = (personId: string, id: string) => adminCall(`${listPath(personId)}/${encodeURIComponent(id)}`, { method: 'DELETE' });

async function listed(personId: string): Promise<Record<string, unknown>[]> {
  const res = await adminCall(listPath(personId));
  expect(res.status).toBe(200);
  return ((await res.json()) as { authenticators: Record<string, unknown>[] }).authenticators;
}

describe('GET /admin/users/{id}/authenticators (CONTRACT §10)', () => {
  it('lists each passkey with id, type, name, AAGUID, device-bound or synced, created and last-used times', async () => {
    const bound = await enrolPasskey();
    const synced = await enrolPasskey({ person: bound.person, create: { backedUp: true } });
    const before = await listed(bound.person.id);
    expect(before).toHaveLength(2);
    const byId = Object.fromEntries(before.map((a) => [a.id, a]));
    expect(byId[bound.credentialId]).toEqual({
      id: bound.credentialId,
      type: 'passkey',
      name: 'Passkey',
      aaguid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      device_bound: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      last_used_at: null,
    });
    expect(byId[synced.credentialId]).toMatchObject({ device_bound: false });
    await passkeySignIn(new Browser(), bound.authenticator);
    const after = (await listed(bound.person.id)).find((a) => a.id === bound.credentialId)!;
    expect(after.last_used_at).toEqual(expect.stringMatching(/^\d{4}-/));
  });

  it('answers 401 without the admin token and 404 for an unknown person', async () => {
    const person = await createUser();
    expect((await call(listPath(person.id))).status).toBe(401);
    expect((await adminCall(listPath('no-such-person'))).status).toBe(404);
    expect((await adminCall(`${listPath('no-such-person')}/x`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('DELETE /admin/users/{id}/authenticators/{id} (CONTRACT §10, NIST SP 800-63B §6.2)', () => {
  it('answers 204; the passkey signs nobody in, the sessions it signed in end and their tokens die, other sessions stay; audited', async () => {
    const client = await registerLogoutClient(null);
    const stolen = await enrolPasskey();
    const kept = await enrolPasskey({ person: stolen.person });
    const withStolen = await signInTo(client, stolen);
    const withKept = await signInTo(client, kept);

    expect((await revoke(stolen.person.id, stolen.credentialId)).status).toBe(204);

    const refused = await passkeySignIn(new Browser(), stolen.authenticator);
    expect(refused.status).toBe(400);
    const silent = await withStolen.browser.fetch(authorizePath(client, { prompt: 'none' }));
    expect(redirectParams(silent).error).toBe('login_required');
    expect((await refresh(client, withStolen.tokens.refresh_token!)).status).toBe(400);
    expect(await introspect(client, withStolen.tokens.access_token)).toEqual({ active: false });

    const other = await withKept.browser.fetch(authorizePath(client, { prompt: 'none' }));
    expect(redirectParams(other).code).toBeDefined();
    expect(await introspect(client, withKept.tokens.access_token)).toMatchObject({ active: true });

    expect((await listed(stolen.person.id)).map((a) => a.id)).toEqual([kept.credentialId]);
    const audit = (await auditEventsFor(stolen.person.id)).find((e) => e.action === 'authenticator.revoke');
    expect(audit).toMatchObject({ actor: 'admin', outcome: 'success', details: { authenticatorId: stolen.credentialId, sessionsEnded: 1 } });
    // Revoked once: a second DELETE finds nothing.
    expect((await revoke(stolen.person.id, stolen.credentialId)).status).toBe(404);
  });

  it('keeps a revoked passkey revoked when the person is deactivated and reactivated', async () => {
    const { person, authenticator, credentialId } = await enrolPasskey();
    expect((await revoke(person.id, credentialId)).status).toBe(204);
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: false }])).status).toBe(200);
    expect((await patchUser(person.id, [{ op: 'replace', path: 'active', value: true }])).status).toBe(200);
    expect((await passkeySignIn(new Browser(), authenticator)).status).toBe(400);
    expect(await listed(person.id)).toEqual([]);
  });

  it('does not revoke another person\'s passkey named under someone else', async () => {
    const mine = await enrolPasskey();
    const theirs = await enrolPasskey();
    expect((await revoke(mine.person.id, theirs.credentialId)).status).toBe(404);
    expect((await passkeySignIn(new Browser(), theirs.authenticator)).status).toBe(200);
  });
});
