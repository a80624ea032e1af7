import { describe, expect, it } from 'vitest';
import { CORE_USER, createUser, patchUser, RBAC_USER, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

async function get(path: string): Promise<Record<string, any>> {
  const res = await scimRequest(path, 'GET');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  return (await res.json()) as Record<string, any>;
}

describe('service provider configuration endpoints (RFC 7644 §4)', () => {
  it('/ServiceProviderConfig says what is supported', async () => {
    const config = await get('/ServiceProviderConfig');
    expect(config).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
    });
  });

  it('/ResourceTypes lists User with the RBAC extension', async () => {
    const list = await get('/ResourceTypes');
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: CORE_USER,
      schemaExtensions: [{ schema: RBAC_USER, required: false }],
    });
    expect(await get('/ResourceTypes/User')).toEqual(list.Resources[0]);
    expect((await scimRequest('/ResourceTypes/Group', 'GET')).status).toBe(404);
  });

  it('/Schemas describes the core User and the extension, each also by id', async () => {
    const list = await get('/Schemas');
    expect(list.Resources.map((s: { id: string }) => s.id)).toEqual([CORE_USER, RBAC_USER]);
    const core = await get(`/Schemas/${CORE_USER}`);
    const userName = core.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({ required: true, caseExact: false, uniqueness: 'server', type: 'string' });
    expect(core.attributes.find((a: { name: string }) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    const ext = await get(`/Schemas/${RBAC_USER}`);
    const roles = ext.attributes.find((a: { name: string }) => a.name === 'roles');
    expect(roles.subAttributes.map((a: { name: string }) => a.name)).toContain('roleCode');
    expect(ext.attributes.find((a: { name: string }) => a.name === 'uid')).toMatchObject({ mutability: 'immutable' });
    expect(JSON.stringify(ext)).not.toContain('openSubAttributes');
    expect((await scimRequest('/Schemas/urn:example:nothing', 'GET')).status).toBe(404);
  });

  it('/Schemas declares the sub-attributes of professionalMemberships, the known registers (RFC 7643 §7)', async () => {
    const ext = await get(`/Schemas/${RBAC_USER}`);
    const memberships = ext.attributes.find((a: { name: string }) => a.name === 'professionalMemberships');
    expect(memberships).toMatchObject({ type: 'complex', multiValued: false });
    const subs = memberships.subAttributes as { name: string; type: string; multiValued: boolean; caseExact: boolean }[];
    expect(subs.map((a) => a.name)).toEqual(expect.arrayContaining(['gmc_id', 'nmc_id', 'gphc_id', 'gdc_id', 'rcn_id', 'hcpc_id']));
    for (const sub of subs) expect(sub).toMatchObject({ type: 'string', multiValued: false, caseExact: true, mutability: 'readWrite' });
  });

  it('still accepts, returns and patches a membership kind not declared, if it follows the <register>_id rule (RFC 7644 §3.5.2.1, CONTRACT §4)', async () => {
    const user = await createUser();
    const res = await patchUser(user.id, [{ op: 'add', path: `${RBAC_USER}:professionalMemberships.xyz_id`, value: 'X1' }]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ScimUser)[RBAC_USER].professionalMemberships).toEqual({ gmc_id: '7654321', xyz_id: 'X1' });
    const bad = await patchUser(user.id, [{ op: 'add', path: `${RBAC_USER}:professionalMemberships.Sub`, value: 'X1' }]);
    expect(bad.status).toBe(400);
  });
});
