import { beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../../support/worker/requests.ts';
import { createUser, RBAC_USER, scimRequest, type ScimUser } from '../../support/worker/scim.ts';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

interface ListResponse {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: ScimUser[];
}

async function list(query: Record<string, string>): Promise<ListResponse> {
  const res = await scimRequest(`/Users?${new URLSearchParams(query)}`, 'GET');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  return (await res.json()) as ListResponse;
}

// Every test shares the directory: each filter is scoped to this file's users.
const prefix = unique('list');
const scoped = (filter: string) => `userName sw "${prefix}" and (${filter})`;
let ada: ScimUser, grace: ScimUser, alan: ScimUser;

beforeAll(async () => {
  ada = await createUser({
    userName: `${prefix}-ada`,
    emails: [
      { value: `ada@${prefix}.nhs.net`, type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
    ],
  });
  grace = await createUser({
    userName: `${prefix}-grace`,
    externalId: undefined,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ value: `grace@${prefix}.example`, type: 'home' }],
    active: false,
  });
  alan = await createUser({ userName: `${prefix}-alan`, emails: undefined, name: { givenName: 'Alan', familyName: 'Turing' } });
});

const names = (r: ListResponse) => r.Resources.map((u) => u.userName).sort();

describe('GET /scim/v2/Users?filter= (RFC 7644 §3.4.2.2)', () => {
  it('finds a userName with eq, ignoring case (caseExact=false)', async () => {
    const r = await list({ filter: `userName eq "${ada.userName.toUpperCase()}"` });
    expect(r.schemas).toEqual([LIST]);
    expect(r.totalResults).toBe(1);
    expect(r.Resources[0]).toEqual(ada);
  });

  it('supports co, sw, ew, ne and pr', async () => {
    expect(names(await list({ filter: scoped('userName co "-GRA"') }))).toEqual([grace.userName]);
    expect(names(await list({ filter: `userName sw "${prefix}-a"` }))).toEqual([ada.userName, alan.userName].sort());
    expect(names(await list({ filter: scoped('userName ew "ace"') }))).toEqual([grace.userName]);
    expect(names(await list({ filter: scoped(`userName ne "${ada.userName}"`) }))).toEqual([alan.userName, grace.userName].sort());
    expect(names(await list({ filter: scoped('externalId pr') }))).toEqual([ada.userName, alan.userName].sort());
    expect(names(await list({ filter: scoped('emails pr') }))).toEqual([ada.userName, grace.userName].sort());
  });

  it('combines with and, or, not and parentheses', async () => {
    const r = await list({ filter: `userName sw "${prefix}" and (name.givenName eq "grace" or name.familyName eq "TURING") and not (active eq false)` });
    expect(names(r)).toEqual([alan.userName]);
  });

  it('filters on active, id, externalId and the extension uid', async () => {
    expect(names(await list({ filter: scoped('active eq false') }))).toEqual([grace.userName]);
    expect(names(await list({ filter: `id eq "${alan.id}"` }))).toEqual([alan.userName]);
    expect(names(await list({ filter: `externalId eq "${ada.externalId}"` }))).toEqual([ada.userName]);
    // externalId is caseExact (RFC 7643 §3.1).
    expect((await list({ filter: `externalId eq "${ada.externalId.toUpperCase()}"` })).totalResults).toBe(0);
    const uid = grace[RBAC_USER].uid;
    expect(names(await list({ filter: `${RBAC_USER}:uid eq "${uid}"` }))).toEqual([grace.userName]);
  });

  it('filters on emails by value, sub-attribute and value path', async () => {
    expect(names(await list({ filter: `emails eq "ADA@${prefix}.NHS.NET"` }))).toEqual([ada.userName]);
    expect(names(await list({ filter: `emails.value co "${prefix}"` }))).toEqual([ada.userName, grace.userName].sort());
    expect(names(await list({ filter: scoped('emails.type eq "home"') }))).toEqual([ada.userName, grace.userName].sort());
    // Both conditions must hold for the same address.
    expect(names(await list({ filter: scoped('emails[type eq "home" and value co "nhs.net"]') }))).toEqual([]);
    expect(names(await list({ filter: scoped('emails[type eq "work" and value ew "nhs.net"]') }))).toEqual([ada.userName]);
  });
});

describe('pagination (RFC 7644 §3.4.2.4)', () => {
  it('pages with startIndex and count while totalResults counts every match', async () => {
    const filter = `userName sw "${prefix}"`;
    const first = await list({ filter, startIndex: '1', count: '2' });
    expect(first).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    const second = await list({ filter, startIndex: '3', count: '2' });
    expect(second).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
    const all = [...first.Resources, ...second.Resources].map((u) => u.id);
    expect(new Set(all).size).toBe(3);
  });

  it('answers only the total for count=0, and reads startIndex below 1 as 1', async () => {
    const filter = `userName sw "${prefix}"`;
    expect(await list({ filter, count: '0' })).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    expect(await list({ filter, startIndex: '0' })).toMatchObject({ startIndex: 1, itemsPerPage: 3 });
    expect(await list({ filter, startIndex: '10' })).toMatchObject({ totalResults: 3, itemsPerPage: 0 });
  });

  it('refuses a count that is not an integer with 400 invalidValue', async () => {
    const res = await scimRequest('/Users?count=ten', 'GET');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidValue' });
  });
});

describe('invalid filters (RFC 7644 §3.12)', () => {
  it.each([
    'userName eq',
    'userName eq "a" or',
    'nickName eq "a"',
    'active co "t"',
    '((((((((((userName pr))))))))))',
    `userName eq "${'x'.repeat(1001)}"`,
  ])('answers 400 invalidFilter for %j', async (filter) => {
    const res = await scimRequest(`/Users?${new URLSearchParams({ filter })}`, 'GET');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });
});

describe('meta.lastModified and meta.created in filters, for incremental sync (RFC 7644 §3.4.2.2, RFC 7643 §3.1)', () => {
  it('finds with gt, ge, lt, le and eq on meta.lastModified, against the person’s last change', async () => {
    await new Promise((r) => setTimeout(r, 5));
    const changed = await scimRequest(`/Users/${alan.id}`, 'PATCH', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Alan M. Turing' }],
    });
    expect(changed.status).toBe(200);
    const alanModified = ((await changed.json()) as ScimUser).meta.lastModified as string;
    const latestOther = [ada, grace].map((u) => u.meta.lastModified as string).sort().at(-1)!;
    expect(alanModified > latestOther).toBe(true);
    expect(names(await list({ filter: scoped(`meta.lastModified gt "${latestOther}"`) }))).toEqual([alan.userName]);
    expect(names(await list({ filter: scoped(`meta.lastModified ge "${alanModified}"`) }))).toEqual([alan.userName]);
    expect(names(await list({ filter: scoped(`meta.lastModified eq "${alanModified}"`) }))).toEqual([alan.userName]);
    expect(names(await list({ filter: scoped(`meta.lastModified lt "${alanModified}"`) }))).toEqual([ada.userName, grace.userName].sort());
    expect(names(await list({ filter: scoped(`meta.lastModified le "${latestOther}"`) }))).toEqual([ada.userName, grace.userName].sort());
    // The same instant in another time zone is the same instant.
    const plusOne = new Date(Date.parse(alanModified)).toISOString().replace('Z', '+00:00');
    expect(names(await list({ filter: scoped(`meta.lastModified ge "${plusOne}"`) }))).toEqual([alan.userName]);
    // Created, unlike lastModified, did not move.
    expect(names(await list({ filter: scoped(`meta.created ge "${alanModified}"`) }))).toEqual([]);
    expect(names(await list({ filter: scoped(`meta.created lt "${alanModified}"`) }))).toHaveLength(3);
  });

  it.each(['meta.lastModified gt "yesterday"', 'meta.lastModified gt 5', 'meta.lastModified co "2026"', 'meta.lastModified gt "2026-01-01"'])(
    'answers 400 invalidFilter for %j',
    async (filter) => {
      const res = await scimRequest(`/Users?${new URLSearchParams({ filter })}`, 'GET');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ scimType: 'invalidFilter' });
    },
  );
});
