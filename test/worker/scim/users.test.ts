import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { organisations, people, roleAssignments } from '../../../schema/people.ts';
import { findPerson } from '../../../src/directory/people.ts';
import { testDatabase } from '../../support/worker/directory.ts';
import { adminCall, unique } from '../../support/worker/requests.ts';
import {
  auditEventsFor,
  createUser,
  exampleUser,
  getUser,
  RBAC_USER,
  scimRequest,
  uniqueUid,
  type ScimUser,
} from '../../support/worker/scim.ts';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('POST /scim/v2/Users (RFC 7644 §3.3)', () => {
  it('creates the contract example user: 201, Location, meta, role ids, no password', async () => {
    const input = exampleUser();
    const res = await scimRequest('/Users', 'POST', input);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const user = (await res.json()) as ScimUser;
    expect(res.headers.get('location')).toBe(`http://localhost:8787/scim/v2/Users/${user.id}`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(user.meta).toEqual({
      resourceType: 'User',
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastModified: user.meta.created,
      location: res.headers.get('location'),
      version: 'W/"1"',
    });
    const { [RBAC_USER]: ext, ...core } = input as Record<string, any>;
    expect(user).toMatchObject(core);
    const { roles, ...extRest } = ext;
    expect(user[RBAC_USER]).toMatchObject(extRest);
    expect(user[RBAC_USER].roles).toEqual([{ ...roles[0], id: expect.any(String) }]);
    expect(user).not.toHaveProperty('password');
    expect(await getUser(user.id)).toEqual(user);
  });

  it('generates a 12-digit uid when none is given, different per person', async () => {
    const a = await createUser({ [RBAC_USER]: undefined });
    const b = await createUser({ [RBAC_USER]: { identityAssuranceLevel: 2 } });
    expect(a[RBAC_USER].uid).toMatch(/^[1-9]\d{11}$/);
    expect(b[RBAC_USER].uid).toMatch(/^[1-9]\d{11}$/);
    expect(a[RBAC_USER].uid).not.toBe(b[RBAC_USER].uid);
    expect(a[RBAC_USER]).toMatchObject({ identityAssuranceLevel: 1, organisations: [], roles: [], professionalMemberships: {} });
  });

  it('adds a new organisation, but refuses a different name for a known orgCode with 400 invalidValue and renames nothing (RFC 7644 §3.12)', async () => {
    const orgCode = `T${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36).toUpperCase()}`;
    const ext = (orgName: string) => ({ [RBAC_USER]: { organisations: [{ orgCode, orgName }] } });
    const first = await createUser(ext('Old Name Trust'));
    const res = await scimRequest('/Users', 'POST', exampleUser(ext('New Name Trust')));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue', detail: expect.stringContaining(orgCode) });
    // Nor through a replace of someone who is already there.
    const put = await scimRequest(`/Users/${first.id}`, 'PUT', { ...first, ...ext('New Name Trust') });
    expect(put.status).toBe(400);
    expect(await put.json()).toMatchObject({ scimType: 'invalidValue' });
    const [row] = await testDatabase().select().from(organisations).where(eq(organisations.orgCode, orgCode));
    expect(row?.orgName).toBe('Old Name Trust');
    expect((await getUser(first.id))[RBAC_USER].organisations).toEqual([{ orgCode, orgName: 'Old Name Trust' }]);
    // The same name again is a reference, not a rename.
    const second = await createUser(ext('Old Name Trust'));
    expect(second[RBAC_USER].organisations).toEqual([{ orgCode, orgName: 'Old Name Trust' }]);
  });

  it('gives each organisation membership and role a 12-digit person_orgid / person_roleid (CONTRACT §8)', async () => {
    const user = await createUser();
    const person = await findPerson(testDatabase(), user.id);
    expect(person!.organisations[0]!.id).toMatch(/^[1-9]\d{11}$/);
    expect(user[RBAC_USER].roles[0].id).toMatch(/^[1-9]\d{11}$/);
    expect(person!.roles[0]!.personOrgId).toBe(person!.organisations[0]!.id);
  });

  it('refuses a userName already taken in another case with 409 uniqueness (RFC 7643 §4.1.1 caseExact=false)', async () => {
    const first = await createUser();
    const res = await scimRequest('/Users', 'POST', exampleUser({ userName: first.userName.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    const rows = await testDatabase().select().from(people).where(eq(people.userName, first.userName.toUpperCase()));
    expect(rows).toEqual([]);
  });

  it('refuses a uid already held by someone else with 409 uniqueness', async () => {
    const first = await createUser();
    const res = await scimRequest('/Users', 'POST', exampleUser({ [RBAC_USER]: { uid: first[RBAC_USER].uid } }));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ scimType: 'uniqueness' });
  });

  it.each([
    ['a role at an organisation not listed', { [RBAC_USER]: { roles: [{ orgCode: 'RX9', roleCode: 'R1', roleName: 'x' }] } }, 'not among the organisations'],
    ['the same organisation twice', { [RBAC_USER]: { organisations: [{ orgCode: 'RX1', orgName: 'a' }, { orgCode: 'RX1', orgName: 'b' }] } }, 'listed twice'],
    ['a uid that is not 12 digits', { [RBAC_USER]: { uid: '12345' } }, '12 digits'],
    ['an assurance level of 4', { [RBAC_USER]: { identityAssuranceLevel: 4 } }, 'identityAssuranceLevel'],
    ['a membership kind in capitals', { [RBAC_USER]: { professionalMemberships: { GMC: '1' } } }, 'professionalMemberships'],
    ['a membership kind named like another claim', { [RBAC_USER]: { professionalMemberships: { sub: '1' } } }, 'professionalMemberships'],
    ['two primary emails', { emails: [{ value: 'a@x.example', primary: true }, { value: 'b@x.example', primary: true }] }, 'primary'],
    ['an email without @', { emails: [{ value: 'nobody' }] }, 'email address'],
    ['no userName', { userName: undefined }, 'userName'],
    ['no core schema URN', { schemas: [RBAC_USER] }, 'schemas'],
    ['a password shorter than 12 characters (NIST SP 800-63B §5.1.1.2)', { password: 'hunter2' }, 'at least 12 characters'],
  ])('refuses %s with 400 invalidValue', async (_what, overrides, detail) => {
    const res = await scimRequest('/Users', 'POST', exampleUser(overrides));
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(body.detail).toContain(detail);
  });

  it('reads attribute names case-insensitively (RFC 7643 §2.1)', async () => {
    const userName = unique('case');
    const res = await scimRequest('/Users', 'POST', {
      SCHEMAS: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      USERNAME: userName,
      Name: { GivenName: 'Grace' },
      Active: 'False',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ userName, name: { givenName: 'Grace' }, active: false });
  });
});

describe('GET /scim/v2/Users/{id}', () => {
  it('answers 404 in the SCIM error shape for an unknown id', async () => {
    const res = await scimRequest(`/Users/${crypto.randomUUID()}`, 'GET');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: '404' });
  });

  it('answers 304 when If-None-Match names the current version (RFC 7644 §3.14)', async () => {
    const user = await createUser();
    const res = await scimRequest(`/Users/${user.id}`, 'GET');
    expect(res.headers.get('etag')).toBe('W/"1"');
    const cached = await adminCall(`/scim/v2/Users/${user.id}`, { headers: { 'if-none-match': 'W/"1"' } });
    expect(cached.status).toBe(304);
  });
});

describe('PUT /scim/v2/Users/{id} (RFC 7644 §3.5.1)', () => {
  it('replaces everything: omitted attributes are cleared, a kept role keeps its id, uid stays', async () => {
    const user = await createUser();
    const ext = user[RBAC_USER];
    const kept = ext.roles[0];
    const res = await scimRequest(`/Users/${user.id}`, 'PUT', {
      schemas: user.schemas,
      userName: user.userName,
      name: { givenName: 'Augusta' },
      active: true,
      [RBAC_USER]: {
        organisations: [...ext.organisations, { orgCode: 'RX2', orgName: 'Second NHS Trust' }],
        roles: [
          { ...kept, activityCodes: ['B0570'], activities: ['Perform Patient Trace'] },
          { orgCode: 'RX2', roleCode: 'S0010:G0020:R0030', roleName: 'Admin' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('W/"2"');
    const after = (await res.json()) as ScimUser;
    expect(after).not.toHaveProperty('emails');
    expect(after).not.toHaveProperty('displayName');
    expect(after).not.toHaveProperty('externalId');
    expect(after.name).toEqual({ givenName: 'Augusta' });
    expect(after[RBAC_USER].uid).toBe(ext.uid);
    expect(after[RBAC_USER].identityAssuranceLevel).toBe(1);
    expect(after[RBAC_USER].professionalMemberships).toEqual({});
    expect(after[RBAC_USER].roles[0]).toMatchObject({ id: kept.id, activityCodes: ['B0570'] });
    expect(after[RBAC_USER].roles[1].id).not.toBe(kept.id);
    expect(after[RBAC_USER].roles[1].id).toMatch(/^[1-9]\d{11}$/);
    expect(after.meta.version).toBe('W/"2"');
    expect(await getUser(user.id)).toEqual(after);
  });

  it('refuses to change the uid (400 mutability) and to take another userName (409)', async () => {
    const [a, b] = [await createUser(), await createUser()];
    const changedUid = await scimRequest(`/Users/${a.id}`, 'PUT', exampleUser({ userName: a.userName, [RBAC_USER]: { uid: uniqueUid() } }));
    expect(changedUid.status).toBe(400);
    expect(await changedUid.json()).toMatchObject({ scimType: 'mutability' });
    const taken = await scimRequest(`/Users/${a.id}`, 'PUT', exampleUser({ userName: b.userName.toUpperCase(), [RBAC_USER]: undefined }));
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ scimType: 'uniqueness' });
    expect((await getUser(a.id)).meta.version).toBe('W/"1"');
  });

  it('answers 404 for an unknown id and 412 for a stale If-Match', async () => {
    const missing = await scimRequest(`/Users/${crypto.randomUUID()}`, 'PUT', exampleUser());
    expect(missing.status).toBe(404);
    const user = await createUser();
    const stale = await adminCall(`/scim/v2/Users/${user.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/scim+json', 'if-match': 'W/"7"' },
      body: JSON.stringify(exampleUser({ userName: user.userName })),
    });
    expect(stale.status).toBe(412);
    expect((await getUser(user.id)).meta.version).toBe('W/"1"');
  });
});

describe('DELETE /scim/v2/Users/{id} (RFC 7644 §3.6)', () => {
  it('answers 204, then 404, and leaves no role rows behind', async () => {
    const user = await createUser();
    const res = await scimRequest(`/Users/${user.id}`, 'DELETE');
    expect(res.status).toBe(204);
    expect((await scimRequest(`/Users/${user.id}`, 'GET')).status).toBe(404);
    expect((await scimRequest(`/Users/${user.id}`, 'DELETE')).status).toBe(404);
    const roles = await testDatabase().select().from(roleAssignments).where(eq(roleAssignments.personId, user.id));
    expect(roles).toEqual([]);
  });
});

describe('audit trail', () => {
  it('records one event per change, and person.deactivate when access must end', async () => {
    const user = await createUser();
    await scimRequest(`/Users/${user.id}`, 'PUT', exampleUser({ userName: user.userName, active: false, [RBAC_USER]: undefined }));
    await scimRequest(`/Users/${user.id}`, 'DELETE');
    const events = await auditEventsFor(user.id);
    expect(events.map((e) => e.action)).toEqual(['person.create', 'person.replace', 'person.deactivate', 'person.delete', 'person.deactivate']);
    for (const e of events) {
      expect(e).toMatchObject({ actor: 'admin', outcome: 'success', details: expect.objectContaining({ userName: user.userName }) });
      expect(e.requestId).toMatch(/.+/);
    }
  });
});

describe('the directory view (findPerson)', () => {
  it('returns the person with organisations, roles linked to their person_orgid, and memberships', async () => {
    const user = await createUser();
    const person = await findPerson(testDatabase(), user.id);
    expect(person).toMatchObject({
      id: user.id,
      uid: user[RBAC_USER].uid,
      identityAssuranceLevel: 3,
      professionalMemberships: { gmc_id: '7654321' },
      organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust', id: expect.any(String) }],
    });
    expect(person!.roles[0]).toMatchObject({ id: user[RBAC_USER].roles[0].id, personOrgId: person!.organisations[0]!.id, orgName: 'Example NHS Trust' });
    expect(await findPerson(testDatabase(), crypto.randomUUID())).toBeNull();
  });
});
