// Bad input at SCIM 2.0 (RFC 7643, RFC 7644): Users bodies around the contract's
// example (§4) with hostile values, PatchOps with odd paths, filters that do not
// parse or parse into deep trees, paging numbers at the edges, ETags and
// unknown resources. Every error must be the SCIM error schema with its status.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { authorization, contentType } from '../../support/worker/fuzz-headers.ts';
import { checkProperty, expectSafeAnswer, fuzzRequest, fuzzTimeout, headerList, send } from '../../support/worker/fuzz-harness.ts';
import { jsonBody, nastyJson, nastyString, shapedObject, uriEncoded } from '../../support/worker/fuzz-inputs.ts';
import { createUser, CORE_USER, PATCH_OP, RBAC_USER, SCIM_TYPE, uniqueUid } from '../../support/worker/scim.ts';
import { TEST_ADMIN_TOKEN } from '../../support/test-env.ts';

const CI_RUNS = 2000;

let ids: string[] = [];

beforeAll(async () => {
  ids = (await Promise.all([createUser(), createUser(), createUser()])).map((u) => u.id);
});

const role = shapedObject({
  orgCode: ['RX1', 'ZZ9', '', 'a b', 'x'.repeat(70)],
  roleCode: ['S8000:G8000:R8000', 'R1', ''],
  roleName: ['"Clinical":"Clinical Provision"', '', '\u0000'],
  activityCodes: [['B0570'], [''], 'B0570', Array.from({ length: 501 }, () => 'B1')],
  activities: [['Perform Patient Trace'], [1]],
  workgroupCodes: [[]],
  workgroups: [[]],
  areaOfWorkCodes: [[]],
  areasOfWork: [[]],
});

const rbac = shapedObject({
  uid: [uniqueUid(), '555000000001', '12345', 555000000001, ''],
  identityAssuranceLevel: [1, 2, 3, 0, 4, '3', 2.5],
  professionalMemberships: [{ gmc_id: '7654321' }, { nmc_id: 1 }, { 'Bad Kind': 'x' }, []],
  organisations: [[{ orgCode: 'RX1', orgName: 'Example NHS Trust' }], [{ orgCode: 'RX1' }], [{}], {}],
  roles: fc.oneof(fc.array(role, { maxLength: 3 }), nastyJson),
});

const user = {
  schemas: [[CORE_USER], [CORE_USER, RBAC_USER], [], ['urn:x'], CORE_USER],
  userName: ['fuzz.user', 'Fuzz.User', '', ' ', 'a'.repeat(300)],
  externalId: ['ext-1', ''],
  name: [{ givenName: 'Ada', familyName: 'Lovelace', middleName: 'A', honorificPrefix: 'Dr' }, { givenName: 1 }, 'Ada'],
  displayName: ['Dr Ada Lovelace'],
  emails: [[{ value: 'ada@nhs.example', type: 'work', primary: true }], [{ value: 'not an email' }], [{}], 'ada@nhs.example'],
  active: [true, false, 'True', 'no', 0],
  password: ['correct horse battery staple', 'short', 'a'.repeat(257)],
  id: ['00000000-0000-0000-0000-000000000000'],
  meta: [{ version: 'W/"1"' }],
  [RBAC_USER]: rbac,
};

const operation = shapedObject({
  op: ['add', 'replace', 'remove', 'Replace', 'ADD', 'move', ''],
  path: [
    'userName', 'name.givenName', 'name', 'emails', 'emails[type eq "work"].value', 'emails[type eq "work"]', 'active', 'password',
    `${RBAC_USER}:roles`, `${RBAC_USER}:roles[orgCode eq "RX1"]`, `${RBAC_USER}:uid`, 'members', 'meta.version', 'name.', '[', 'a.b.c.d',
    'emails[type eq "work" and value co "@"].value', 'emails[not(type eq "x")]', `${'x.'.repeat(200)}x`,
  ],
  value: fc.oneof(nastyJson, shapedObject(user)),
});

const patch = {
  schemas: [[PATCH_OP], [], ['urn:x']],
  Operations: fc.oneof(fc.array(operation, { maxLength: 4 }), nastyJson, fc.constant(Array.from({ length: 1001 }, () => ({ op: 'remove', path: 'displayName' })))),
};

const attribute = fc.constantFrom('userName', 'externalId', 'emails', 'emails.value', 'active', `${RBAC_USER}:uid`, 'name.givenName', 'meta.created', 'x', 'Emails.Value');
const operator = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le', 'EQ', 'xx');
const literal = fc.oneof(
  fc.constantFrom('"x"', '"fuzz.user"', 'true', 'false', 'null', '12', '"\\""', '"', '"unterminated', '"%"', '"_"', '"\\u0000"'),
  nastyString.map((s) => JSON.stringify(s)),
);
const comparison = fc.tuple(attribute, operator, literal).map(([a, op, v]) => (op === 'pr' ? `${a} pr` : `${a} ${op} ${v}`));
const filter: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: comparison },
  { weight: 2, arbitrary: fc.tuple(comparison, fc.constantFrom('and', 'or', 'AND', 'nand'), comparison).map(([a, j, b]) => `${a} ${j} ${b}`) },
  { weight: 1, arbitrary: fc.tuple(comparison, fc.nat(40)).map(([c, n]) => `${'('.repeat(n)}${c}${')'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.tuple(comparison, fc.nat(30)).map(([c, n]) => `${'not ('.repeat(n)}${c}${')'.repeat(n)}`) },
  { weight: 1, arbitrary: comparison.map((c) => `emails[${c}]`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '(', ')', 'and', 'userName', 'userName eq', `${'userName eq "a" or '.repeat(300)}active pr`) },
  { weight: 1, arbitrary: nastyString },
);

const queryNumber = fc.oneof(fc.constantFrom('0', '1', '-1', '2', '100', '1001', '1e3', 'abc', '', '9'.repeat(30), '1.5', ' 2'), nastyString);

const listQuery = fc
  .record({ filter, startIndex: queryNumber, count: queryNumber, attributes: fc.constantFrom('userName', 'x'), sortBy: fc.constantFrom('userName') }, { requiredKeys: [] })
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

const userId = fc.oneof(
  { weight: 4, arbitrary: fc.nat().map((i) => ids[i % ids.length]!) },
  { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', '..', '%2e%2e', 'x'.repeat(300), '') },
  { weight: 1, arbitrary: nastyString.map(uriEncoded) },
);

const path = fc.oneof(
  { weight: 4, arbitrary: listQuery.map((q) => `/scim/v2/Users?${q}`) },
  { weight: 2, arbitrary: fc.constant('/scim/v2/Users') },
  { weight: 6, arbitrary: userId.map((id) => `/scim/v2/Users/${id}`) },
  { weight: 1, arbitrary: fc.constantFrom(
      '/scim/v2/ServiceProviderConfig', '/scim/v2/Schemas', `/scim/v2/Schemas/${CORE_USER}`, `/scim/v2/Schemas/${RBAC_USER}`, '/scim/v2/Schemas/x',
      '/scim/v2/ResourceTypes', '/scim/v2/ResourceTypes/User', '/scim/v2/ResourceTypes/Group', '/scim/v2/Groups', '/scim/v2/Me', '/scim/v2/Bulk', '/scim/v2/.search', '/scim/v2/',
    ) },
);

const etag = fc.constantFrom(undefined, '*', 'W/"1"', '"x"', 'W/', '');

const cases = fuzzRequest({
  method: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH') },
    { weight: 1, arbitrary: fc.constantFrom('DELETE', 'HEAD', 'OPTIONS', 'TRACE') },
  ),
  path,
  headers: fc
    .record({
      'content-type': contentType(SCIM_TYPE),
      authorization: authorization([`Bearer ${TEST_ADMIN_TOKEN}`]),
      'if-match': etag,
      'if-none-match': etag,
      accept: fc.constantFrom(undefined, SCIM_TYPE, 'application/json', 'text/html'),
    })
    .map(headerList),
  body: fc.oneof(jsonBody(user), jsonBody(patch)),
});

describe('bad input at SCIM 2.0', () => {
  it('never answers 5xx or internals; every error is the SCIM error schema with its status (RFC 7644 §3.12)', async () => {
    await checkProperty(
      fc.asyncProperty(cases, async (req) => {
        expectSafeAnswer(req, await send(req), { shape: 'scim' });
      }),
      CI_RUNS,
    );
  }, fuzzTimeout(CI_RUNS));
});
