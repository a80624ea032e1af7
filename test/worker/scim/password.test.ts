import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { people } from '../../../schema/people.ts';
import { verifyPassword } from '../../../src/password/password-hash.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { PASSWORD } from '../../support/worker/password.ts';
import { auditEventsFor, createUser, exampleUser, getUser, PATCH_OP, patchUser, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

const HASH = /^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/;

async function storedHash(id: string): Promise<string | null> {
  const [row] = await testDatabase().select({ hash: people.passwordHash }).from(people).where(eq(people.id, id));
  return row!.hash;
}

function mentions(value: unknown, text: string): boolean {
  return JSON.stringify(value).includes(text);
}

describe('SCIM password: write-only, returned never (RFC 7643 §4.1.1)', () => {
  it('hashes the password of a new user with PBKDF2 and never returns it', async () => {
    const res = await scimRequest('/Users', 'POST', exampleUser({ password: PASSWORD }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as ScimUser;
    expect(created).not.toHaveProperty('password');
    expect(mentions(created, PASSWORD)).toBe(false);
    expect(await getUser(created.id)).not.toHaveProperty('password');
    const hash = await storedHash(created.id);
    expect(hash).toMatch(HASH);
    expect(await verifyPassword(PASSWORD, hash)).toMatchObject({ ok: true });
    const list = await scimRequest(`/Users?filter=${encodeURIComponent(`userName eq "${created.userName}"`)}`, 'GET');
    expect(mentions(await list.json(), 'password')).toBe(false);
    const events = await auditEventsFor(created.id);
    expect(events[0]).toMatchObject({ action: 'person.create', details: { password: 'set' } });
    expect(mentions(events, PASSWORD)).toBe(false);
  });

  it('keeps the stored password on a PUT without one, and replaces it on a PUT with one', async () => {
    const user = await createUser({ password: PASSWORD });
    const hash = await storedHash(user.id);
    const { id: _id, meta: _meta, ...body } = user;
    expect((await scimRequest(`/Users/${user.id}`, 'PUT', { ...body, displayName: 'Countess' })).status).toBe(200);
    expect(await storedHash(user.id)).toBe(hash);
    const replaced = await scimRequest(`/Users/${user.id}`, 'PUT', { ...body, password: 'a new passphrase for ada' });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).not.toHaveProperty('password');
    expect(await verifyPassword('a new passphrase for ada', await storedHash(user.id))).toMatchObject({ ok: true });
  });

  it('sets the password with PATCH add or replace, and removes it with PATCH remove (RFC 7644 §3.5.2)', async () => {
    const user = await createUser();
    expect(await storedHash(user.id)).toBeNull();
    const added = await patchUser(user.id, [{ op: 'add', path: 'password', value: PASSWORD }]);
    expect(added.status).toBe(200);
    expect(await added.json()).not.toHaveProperty('password');
    expect(await verifyPassword(PASSWORD, await storedHash(user.id))).toMatchObject({ ok: true });
    const replaced = await scimRequest(`/Users/${user.id}`, 'PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { password: 'another long passphrase' } }] });
    expect(replaced.status).toBe(200);
    expect(await verifyPassword('another long passphrase', await storedHash(user.id))).toMatchObject({ ok: true });
    expect((await patchUser(user.id, [{ op: 'remove', path: 'password' }])).status).toBe(200);
    expect(await storedHash(user.id)).toBeNull();
    const actions = (await auditEventsFor(user.id)).filter((e) => e.action === 'person.patch').map((e) => e.details.password);
    expect(actions).toEqual(['set', 'set', 'removed']);
  });

  it('leaves the password alone on a PATCH of something else', async () => {
    const user = await createUser({ password: PASSWORD });
    const hash = await storedHash(user.id);
    expect((await patchUser(user.id, [{ op: 'replace', path: 'displayName', value: 'Ada L' }])).status).toBe(200);
    expect(await storedHash(user.id)).toBe(hash);
  });

  it.each([
    ['shorter than 12 characters', (_u: string) => 'short pass', 'at least 12 characters'],
    ['equal to the userName', (u: string) => u.toUpperCase(), 'must not be the userName'],
    ['longer than 256 characters', (_u: string) => 'x y'.repeat(100), 'at most 256 characters'],
    ['on the breached-password blocklist, in any case (NIST SP 800-63B §5.1.1.2)', (_u: string) => 'Password1234', 'too common'],
  ])('refuses a password %s with 400 invalidValue and stores nothing', async (_what, password, detail) => {
    const body = exampleUser();
    const res = await scimRequest('/Users', 'POST', { ...body, password: password(body.userName as string) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringContaining(detail) });
    const found = await scimRequest(`/Users?filter=${encodeURIComponent(`userName eq "${body.userName}"`)}`, 'GET');
    expect(await found.json()).toMatchObject({ totalResults: 0 });
  });

  it('describes password as writeOnly and returned never in /Schemas', async () => {
    const res = await scimRequest('/Schemas', 'GET');
    const schemas = (await res.json()) as { Resources: { attributes: { name: string }[] }[] };
    const password = schemas.Resources.flatMap((s) => s.attributes).find((a) => a.name === 'password');
    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });
});
