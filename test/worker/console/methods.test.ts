// RFC 9110 §15.5.6 at the console: a console path asked with a method it does
// not take is a 405 whose Allow is computed from the routes (as everywhere else,
// src/app.ts), answered after the operator guard; an unknown console path stays
// a 404 page.
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN } from '../../support/worker/browser.ts';
import { signedInOperator } from '../../support/worker/console.ts';
import { call } from '../../support/worker/requests.ts';

let cookie: string;
let csrf: string;

beforeAll(async () => {
  ({ cookie, csrf } = await signedInOperator('/console/overview'));
});

/** A request as the signed-in operator's browser sends it, the CSRF token in the form. */
const asOperator = (path: string, method: string) =>
  call(path, {
    method,
    redirect: 'manual',
    headers: { Cookie: cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: method === 'GET' || method === 'HEAD' ? undefined : new URLSearchParams({ csrf_token: csrf }).toString(),
  });

describe('wrong methods on console paths (RFC 9110 §15.5.6)', () => {
  it.each([
    ['/console', 'DELETE', 'GET, HEAD'],
    ['/console/logout', 'GET', 'POST'],
    ['/console/overview', 'POST', 'GET, HEAD'],
    ['/console/people', 'PUT', 'GET, HEAD'],
    ['/console/people/some-id', 'POST', 'GET, HEAD'],
    ['/console/people/some-id/authenticators/revoke', 'GET', 'POST'],
    ['/console/people/some-id/sessions/end', 'PUT', 'POST'],
    ['/console/people/some-id/unlock', 'GET', 'POST'],
    ['/console/people/some-id/invitations', 'DELETE', 'POST'],
    ['/console/applications', 'PUT', 'GET, HEAD, POST'],
    ['/console/applications/new', 'POST', 'GET, HEAD'],
    ['/console/applications/some-client', 'POST', 'GET, HEAD'],
    ['/console/applications/some-client/rotate-secret', 'DELETE', 'GET, HEAD, POST'],
    ['/console/applications/some-client/delete', 'PUT', 'GET, HEAD, POST'],
    ['/console/keys', 'POST', 'GET, HEAD'],
    ['/console/keys/rotate', 'GET', 'POST'],
    ['/console/audit', 'POST', 'GET, HEAD'],
    ['/console/audit/export', 'POST', 'GET, HEAD'],
  ])('answers %s with %s by 405, Allow: %s, past the guard', async (path, method, allow) => {
    const res = await asOperator(path, method);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it.each([
    ['/console/login', 'POST', 'GET, HEAD'],
    ['/console/callback', 'DELETE', 'GET, HEAD'],
    ['/console/signed-out', 'POST', 'GET, HEAD'],
  ])('answers the open path %s with %s by 405 without a session', async (path, method, allow) => {
    const res = await call(path, { method, redirect: 'manual' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
  });

  it('sends a wrong method on a guarded path without a session to sign in, as any request there', async () => {
    const res = await call('/console/overview', {
      method: 'DELETE',
      redirect: 'manual',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'csrf_token=x',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('allow')).toBeNull();
    expect(res.headers.get('location')).toBe(`/console/login?return_to=${encodeURIComponent('/console')}`);
  });

  it('answers an unknown console path with the 404 page, whatever the method', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await asOperator('/console/no-such-page', method);
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });
});
