// POST /Users/.search and POST /.search with a SearchRequest (RFC 7644 §3.4.3):
// the same filter, attributes and paging as GET /Users.
import { beforeAll, describe, expect, it } from 'vitest';
import { call, unique } from '../../support/worker/requests.ts';
import { CORE_USER, createUser, RBAC_USER, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const prefix = unique('search');
let ada: ScimUser, grace: ScimUser;

beforeAll(async () => {
  ada = await createUser({ userName: `${prefix}-ada` });
  grace = await createUser({ userName: `${prefix}-grace`, active: false });
});

const search = (path: string, body: Record<string, unknown>) => scimRequest(path, 'POST', { schemas: [SEARCH_REQUEST], ...body });

describe('POST /scim/v2/Users/.search (RFC 7644 §3.4.3)', () => {
  it('answers 200 with a ListResponse for a filter, as GET with the same filter does', async () => {
    const filter = `userName sw "${prefix}" and active eq false`;
    const res = await search('/Users/.search', { filter });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    const viaGet = await (await scimRequest(`/Users?${new URLSearchParams({ filter })}`, 'GET')).json();
    expect(body).toEqual(viaGet);
    expect(body.Resources[0].id).toBe(grace.id);
  });

  it('pages with startIndex and count, and applies attributes and excludedAttributes given as arrays', async () => {
    const filter = `userName sw "${prefix}"`;
    const page = (await (await search('/Users/.search', { filter, startIndex: 2, count: 1, attributes: ['displayName', `${RBAC_USER}:uid`] })).json()) as Record<string, any>;
    expect(page).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 });
    const [only] = page.Resources;
    expect(Object.keys(only).sort()).toEqual(['displayName', 'id', 'schemas', 'userName', RBAC_USER].sort());
    expect(Object.keys(only[RBAC_USER])).toEqual(['uid']);
    const excluded = (await (await search('/Users/.search', { filter, excludedAttributes: ['emails'] })).json()) as Record<string, any>;
    for (const user of excluded.Resources) expect(user).not.toHaveProperty('emails');
  });

  it('refuses a body without the SearchRequest schema, or with a bad filter, in the SCIM error shape', async () => {
    const noSchema = await scimRequest('/Users/.search', 'POST', { filter: 'userName pr' });
    expect(noSchema.status).toBe(400);
    expect(await noSchema.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
    const badFilter = await search('/Users/.search', { filter: 'userName eq' });
    expect(badFilter.status).toBe(400);
    expect(await badFilter.json()).toMatchObject({ scimType: 'invalidFilter' });
    const badCount = await search('/Users/.search', { count: 'ten' });
    expect(badCount.status).toBe(400);
  });

  it('answers GET on .search with 405 and Allow: POST, not as a user id', async () => {
    const res = await scimRequest('/Users/.search', 'GET');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('POST /scim/v2/.search at the root (RFC 7644 §3.4.3)', () => {
  it('searches every resource type, which is User alone: the same results as /Users/.search', async () => {
    const filter = `userName eq "${ada.userName}"`;
    const root = await search('/.search', { filter });
    expect(root.status).toBe(200);
    const body = (await root.json()) as Record<string, any>;
    expect(body.Resources.map((u: ScimUser) => u.id)).toEqual([ada.id]);
    expect(body.Resources[0].schemas).toContain(CORE_USER);
    expect(body).toEqual(await (await search('/Users/.search', { filter })).json());
  });

  it('needs the admin token like every SCIM endpoint (RFC 7644 §2)', async () => {
    const res = await call('/scim/v2/.search', { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify({ schemas: [SEARCH_REQUEST] }) });
    expect(res.status).toBe(401);
  });
});
