// RFC 9110 §15.5.6: a 405 carries an Allow header listing the target's methods,
// computed here from the routes themselves (HEAD wherever GET is, §9.3.2).
import { describe, expect, it } from 'vitest';
import { adminCall, call } from '../../support/worker/requests.ts';
import { scimRequest } from '../../support/worker/scim.ts';

describe('405 Method Not Allowed (RFC 9110 §15.5.6)', () => {
  it.each([
    ['/token', 'GET', 'POST'],
    ['/userinfo', 'PUT', 'GET, HEAD, POST'],
    ['/register/some-client', 'POST', 'GET, HEAD, PUT, DELETE'],
    ['/.well-known/openid-configuration', 'DELETE', 'GET, HEAD'],
  ])('lists exactly the methods of %s in Allow when asked with %s', async (path, method, allow) => {
    const res = await call(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('lists exactly the methods of a SCIM path, in the SCIM error shape (RFC 7644 §3.12)', async () => {
    const res = await scimRequest('/Users/some-id', 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT, PATCH, DELETE');
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(await res.json()).toMatchObject({ status: '405' });
  });

  it("answers a path mounted under a sub-app with that route's methods only", async () => {
    const res = await adminCall('/admin/audit', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD on a POST-only path with 405 and no body', async () => {
    const res = await call('/token', { method: 'HEAD' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.text()).toBe('');
  });

  it("keeps a handler's own 404 for a known path and method (RFC 9110 §15.5.5)", async () => {
    const res = await scimRequest('/Users/no-such-user', 'GET');
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
  });

  it('keeps 404 for an unknown path with any method', async () => {
    const res = await call('/no-such-endpoint', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(res.headers.get('allow')).toBeNull();
  });
});
