import { describe, expect, it } from 'vitest';
import { call } from '../support/worker/requests.ts';

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} once storage answers', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });

  it('refuses other methods with 405 and Allow', async () => {
    const res = await call('/healthz', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await call('/no/such/path');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
