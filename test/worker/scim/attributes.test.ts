// attributes and excludedAttributes on GET by id and list responses
// (RFC 7644 §3.4.2.5: the service provider MUST honour them).
import { beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../../support/worker/requests.ts';
import { CORE_USER, createUser, RBAC_USER, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

let ada: ScimUser;
const prefix = unique('attrs');

beforeAll(async () => {
  ada = await createUser({ userName: `${prefix}-ada` });
});

async function get(path: string, query: Record<string, string>): Promise<Record<string, any>> {
  const res = await scimRequest(`${path}?${new URLSearchParams(query)}`, 'GET');
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

describe('attributes (RFC 7644 §3.4.2.5)', () => {
  it('GET by id returns only the named attributes plus id, schemas and userName (returned always)', async () => {
    const user = await get(`/Users/${ada.id}`, { attributes: 'displayName,name.familyName' });
    expect(user).toEqual({
      schemas: [CORE_USER, RBAC_USER],
      id: ada.id,
      userName: ada.userName,
      displayName: 'Dr Ada Lovelace',
      name: { familyName: 'Lovelace' },
    });
  });

  it('GET by id selects extension attributes by their full URN path (RFC 7644 §3.10)', async () => {
    const user = await get(`/Users/${ada.id}`, { attributes: `${RBAC_USER}:roles,${RBAC_USER}:professionalMemberships.gmc_id` });
    expect(user[RBAC_USER]).toEqual({ roles: ada[RBAC_USER].roles, professionalMemberships: { gmc_id: '7654321' } });
    expect(user).not.toHaveProperty('emails');
    expect(user).not.toHaveProperty('meta');
  });

  it('list responses apply attributes to every resource', async () => {
    const list = await get('/Users', { filter: `userName eq "${ada.userName}"`, attributes: 'emails.value,meta.lastModified' });
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]).toEqual({
      schemas: [CORE_USER, RBAC_USER],
      id: ada.id,
      userName: ada.userName,
      emails: [{ value: ada.emails[0].value }],
      meta: { lastModified: ada.meta.lastModified },
    });
  });

  it('refuses a malformed attribute name with 400 invalidValue', async () => {
    const res = await scimRequest(`/Users/${ada.id}?attributes=${encodeURIComponent('name..x')}`, 'GET');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });
});

describe('excludedAttributes (RFC 7644 §3.4.2.5)', () => {
  it('GET by id leaves out what is named, never id, schemas or userName', async () => {
    const user = await get(`/Users/${ada.id}`, { excludedAttributes: `emails,id,userName,${RBAC_USER}:roles,name.givenName` });
    expect(user).toMatchObject({ id: ada.id, userName: ada.userName, schemas: [CORE_USER, RBAC_USER] });
    expect(user).not.toHaveProperty('emails');
    expect(user.name).not.toHaveProperty('givenName');
    expect(user.name.familyName).toBe('Lovelace');
    expect(user[RBAC_USER]).not.toHaveProperty('roles');
    expect(user[RBAC_USER].uid).toBe(ada[RBAC_USER].uid);
    expect(user.meta).toEqual(ada.meta);
  });

  it('list responses leave out the whole extension when its URN is named', async () => {
    const list = await get('/Users', { filter: `userName eq "${ada.userName}"`, excludedAttributes: RBAC_USER });
    expect(list.Resources[0]).not.toHaveProperty(RBAC_USER);
    expect(list.Resources[0].displayName).toBe('Dr Ada Lovelace');
  });
});
