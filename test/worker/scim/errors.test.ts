import { describe, expect, it } from 'vitest';
import { call } from '../../support/worker/requests.ts';
import { createUser, exampleUser, scimRequest } from '../../support/worker/scim.ts';

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function expectScimError(res: Response, status: number, scimType?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ schemas: [ERROR], status: String(status) });
  if (scimType) expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('SCIM authentication', () => {
  it('answers 401 in the SCIM error shape without a token, on every path', async () => {
    for (const path of ['/Users', '/ServiceProviderConfig', '/Schemas', '/no-such-thing']) {
      const res = await call(`/scim/v2${path}`);
      await expectScimError(res, 401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers 401 with invalid_token for a wrong token, and creates nothing', async () => {
    const user = exampleUser();
    const res = await call('/scim/v2/Users', {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-admin-token', 'content-type': 'application/scim+json' },
      body: JSON.stringify(user),
    });
    await expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const found = await scimRequest(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName as string}"`)}`, 'GET');
    expect(await found.json()).toMatchObject({ totalResults: 0 });
  });
});

describe('bad input never yields a 500 (contract §9)', () => {
  it('answers malformed JSON with 400 invalidSyntax', async () => {
    await expectScimError(await scimRequest('/Users', 'POST', '{"userName": '), 400, 'invalidSyntax');
    const user = await createUser();
    await expectScimError(await scimRequest(`/Users/${user.id}`, 'PATCH', '[}'), 400, 'invalidSyntax');
  });

  it('answers JSON that is not a User with 400 invalidValue', async () => {
    for (const body of ['[]', '"user"', 'null', '{"userName": 42}']) {
      await expectScimError(await scimRequest('/Users', 'POST', body), 400, 'invalidValue');
    }
  });

  it('accepts application/json as well, and refuses other content types with 415', async () => {
    expect((await scimRequest('/Users', 'POST', exampleUser(), 'application/json')).status).toBe(201);
    await expectScimError(await scimRequest('/Users', 'POST', exampleUser(), 'text/plain'), 415);
    await expectScimError(await scimRequest('/Users', 'POST', 'userName=x', 'application/x-www-form-urlencoded'), 415);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const huge = JSON.stringify(exampleUser({ displayName: 'x'.repeat(1024 * 1024) }));
    await expectScimError(await scimRequest('/Users', 'POST', huge), 413);
  });

  it('answers wrong methods with 405 and Allow', async () => {
    const user = await createUser();
    const cases: [string, string, string][] = [
      ['/Users', 'DELETE', 'GET, HEAD, POST'],
      ['/Users', 'PUT', 'GET, HEAD, POST'],
      [`/Users/${user.id}`, 'POST', 'GET, HEAD, PUT, PATCH, DELETE'],
      ['/ServiceProviderConfig', 'POST', 'GET, HEAD'],
      ['/Schemas', 'DELETE', 'GET, HEAD'],
      ['/ResourceTypes', 'PUT', 'GET, HEAD'],
    ];
    for (const [path, method, allow] of cases) {
      const res = await scimRequest(path, method);
      await expectScimError(res, 405);
      expect(res.headers.get('allow')).toBe(allow);
    }
  });

  it('answers unknown paths under /scim/v2 with a SCIM 404', async () => {
    await expectScimError(await scimRequest('/Groups', 'GET'), 404);
  });

  it('refuses a repeated query parameter with 400 invalidValue', async () => {
    await expectScimError(await scimRequest('/Users?count=1&count=2', 'GET'), 400, 'invalidValue');
  });
});
