import { describe, expect, it } from 'vitest';
import { findPerson } from '../../../src/directory/people.ts';
import { toPersonRecord } from '../../../src/scim/user-resource.ts';
import { parseUser } from '../../../src/scim/user-schema.ts';
import { replacePerson, StaleVersionError } from '../../../src/directory/person-writes.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { auditEventsFor, createUser, exampleUser, getUser, patchUser, RBAC_USER, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

const ROLE = 'S8000:G8000:R8000';

async function patched(res: Response): Promise<ScimUser> {
  const body = (await res.json()) as ScimUser;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

describe('PATCH /scim/v2/Users/{id} (RFC 7644 §3.5.2)', () => {
  it('replaces name.givenName and active by path, bumping the version', async () => {
    const user = await createUser();
    const after = await patched(
      await patchUser(user.id, [
        { op: 'replace', path: 'name.givenName', value: 'Augusta' },
        { op: 'Replace', path: 'active', value: false },
      ]),
    );
    expect(after.name).toMatchObject({ givenName: 'Augusta', familyName: 'Lovelace' });
    expect(after.active).toBe(false);
    expect(after.meta.version).toBe('W/"2"');
    expect(await getUser(user.id)).toEqual(after);
    const actions = (await auditEventsFor(user.id)).map((e) => e.action);
    expect(actions).toEqual(['person.create', 'person.patch', 'person.deactivate']);
  });

  it('adds and replaces emails[type eq "work"].value and removes emails[type eq "home"]', async () => {
    const user = await createUser({ emails: [{ value: 'a@home.example', type: 'home' }] });
    const added = await patched(await patchUser(user.id, [{ op: 'add', path: 'emails[type eq "work"].value', value: 'a@nhs.net' }]));
    expect(added.emails).toEqual([{ value: 'a@home.example', type: 'home' }, { type: 'work', value: 'a@nhs.net' }]);
    const replaced = await patched(
      await patchUser(user.id, [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'b@nhs.net' },
        { op: 'remove', path: 'emails[type eq "home"]' },
      ]),
    );
    expect(replaced.emails).toEqual([{ type: 'work', value: 'b@nhs.net' }]);
  });

  it('adds a role through the extension path; the kept role keeps its id', async () => {
    const user = await createUser();
    const kept = user[RBAC_USER].roles[0];
    const after = await patched(
      await patchUser(user.id, [
        { op: 'add', path: `${RBAC_USER}:organisations`, value: [{ orgCode: 'RX2', orgName: 'Second NHS Trust' }] },
        { op: 'add', path: `${RBAC_USER}:roles`, value: [{ orgCode: 'RX2', roleCode: 'S0010:G0020:R0030', roleName: 'Admin' }] },
      ]),
    );
    expect(after[RBAC_USER].roles).toHaveLength(2);
    expect(after[RBAC_USER].roles[0]).toEqual(kept);
    expect(after[RBAC_USER].roles[1]).toMatchObject({ orgCode: 'RX2', roleCode: 'S0010:G0020:R0030', id: expect.any(String) });
  });

  it('replaces the roles wholesale and removes one by filter', async () => {
    const user = await createUser();
    const replaced = await patched(
      await patchUser(user.id, [
        { op: 'replace', path: `${RBAC_USER}:roles`, value: [{ orgCode: 'RX1', roleCode: 'R1', roleName: 'One' }, { orgCode: 'RX1', roleCode: 'R2', roleName: 'Two' }] },
      ]),
    );
    expect(replaced[RBAC_USER].roles.map((r: { roleCode: string }) => r.roleCode)).toEqual(['R1', 'R2']);
    const removed = await patched(await patchUser(user.id, [{ op: 'remove', path: `${RBAC_USER}:roles[roleCode eq "R1"]` }]));
    expect(removed[RBAC_USER].roles).toEqual([replaced[RBAC_USER].roles[1]]);
  });

  it('applies a value without a path, as Entra ID sends it', async () => {
    const user = await createUser();
    const after = await patched(
      await patchUser(user.id, [
        { op: 'replace', value: { displayName: 'Ada L', 'name.familyName': 'King', [RBAC_USER]: { identityAssuranceLevel: 2 } } },
        { op: 'add', path: `${RBAC_USER}:professionalMemberships.nmc_id`, value: '12A3456B' },
        { op: 'remove', path: `${RBAC_USER}:professionalMemberships.gmc_id` },
      ]),
    );
    expect(after).toMatchObject({ displayName: 'Ada L', name: { familyName: 'King', givenName: 'Ada' } });
    expect(after[RBAC_USER]).toMatchObject({ identityAssuranceLevel: 2, professionalMemberships: { nmc_id: '12A3456B' } });
  });

  it.each([
    ['remove without a path', [{ op: 'remove' }], 'noTarget'],
    ['replace matching nothing', [{ op: 'replace', path: 'emails[type eq "fax"].value', value: 'x@y.example' }], 'noTarget'],
    ['an unknown attribute', [{ op: 'add', path: 'nickName', value: 'x' }], 'invalidPath'],
    ['a malformed path', [{ op: 'add', path: 'emails[type eq "work"', value: 'x' }], 'invalidPath'],
    ['a changed uid', [{ op: 'replace', path: `${RBAC_USER}:uid`, value: '123456789012' }], 'mutability'],
    ['a role at an unlisted organisation', [{ op: 'add', path: `${RBAC_USER}:roles`, value: { orgCode: 'ZZ9', roleCode: ROLE, roleName: 'x' } }], 'invalidValue'],
    ['an unknown op', [{ op: 'move', path: 'active', value: true }], 'invalidValue'],
    ['a password shorter than 12 characters (NIST SP 800-63B §5.1.1.2)', [{ op: 'add', path: 'password', value: 'hunter2' }], 'invalidValue'],
  ])('refuses %s with 400 %s and changes nothing', async (_what, operations, scimType) => {
    const user = await createUser();
    const res = await patchUser(user.id, operations);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType });
    expect(await getUser(user.id)).toEqual(user);
  });

  it('reads PatchOp member names and ops case-insensitively (RFC 7643 §2.1)', async () => {
    const user = await createUser();
    const res = await scimRequest(`/Users/${user.id}`, 'PATCH', {
      SCHEMAS: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      operations: [{ OP: 'REPLACE', PATH: 'DisplayName', VALUE: 'Countess' }],
    });
    expect((await patched(res)).displayName).toBe('Countess');
  });

  it('refuses a PatchOp without its schema URN', async () => {
    const user = await createUser();
    const res = await scimRequest(`/Users/${user.id}`, 'PATCH', { Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ scimType: 'invalidValue' });
  });

  it('refuses a userName another user holds with 409 uniqueness', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const res = await patchUser(a.id, [{ op: 'replace', path: 'userName', value: b.userName.toUpperCase() }]);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ scimType: 'uniqueness' });
    expect((await getUser(a.id)).userName).toBe(a.userName);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await patchUser(crypto.randomUUID(), [{ op: 'replace', path: 'active', value: false }]);
    expect(res.status).toBe(404);
  });
});

describe('concurrent writes', () => {
  it('a replace built from a stale read writes nothing (the version guard)', async () => {
    const user = await createUser();
    const db = testDatabase();
    const stale = (await findPerson(db, user.id))!;
    await patched(await patchUser(user.id, [{ op: 'replace', path: `${RBAC_USER}:roles[roleCode eq "${ROLE}"].roleName`, value: 'Renamed' }]));
    const record = toPersonRecord(parseUser(exampleUser({ userName: user.userName, [RBAC_USER]: { uid: user[RBAC_USER].uid, professionalMemberships: { nmc_id: '1' } } })));
    await expect(replacePerson(db, stale, record, Date.now())).rejects.toBeInstanceOf(StaleVersionError);
    const now = await getUser(user.id);
    expect(now.meta.version).toBe('W/"2"');
    expect(now[RBAC_USER].roles[0].roleName).toBe('Renamed');
    expect(now[RBAC_USER].professionalMemberships).toEqual({ gmc_id: '7654321' });
  });
});

describe('PATCH remove unsets, never restores a default (RFC 7644 §3.5.2.2)', () => {
  it('refuses to remove active from a deactivated person with 400 mutability; they stay inactive', async () => {
    const user = await createUser({ active: false });
    const res = await patchUser(user.id, [{ op: 'remove', path: 'active' }]);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'mutability' });
    const after = await getUser(user.id);
    expect(after.active).toBe(false);
    expect(after.meta.version).toBe(user.meta.version);
  });

  it('refuses to remove userName or identityAssuranceLevel with 400 mutability', async () => {
    const user = await createUser();
    for (const path of ['userName', `${RBAC_USER}:identityAssuranceLevel`]) {
      const res = await patchUser(user.id, [{ op: 'remove', path }]);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toMatchObject({ scimType: 'mutability' });
    }
    expect((await getUser(user.id))[RBAC_USER].identityAssuranceLevel).toBe(3);
  });

  it('leaves removed single-valued attributes unset: displayName, externalId, name.familyName', async () => {
    const user = await createUser();
    const after = await patched(
      await patchUser(user.id, [
        { op: 'remove', path: 'displayName' },
        { op: 'remove', path: 'externalId' },
        { op: 'remove', path: 'name.familyName' },
      ]),
    );
    expect(after).not.toHaveProperty('displayName');
    expect(after).not.toHaveProperty('externalId');
    expect(after.name).not.toHaveProperty('familyName');
    expect(after.active).toBe(true);
    expect(await getUser(user.id)).toEqual(after);
  });
});
