import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config.ts';
import { call } from '../../support/worker/requests.ts';
import { testApp } from '../../support/worker/test-app.ts';

const HTTPS_ISSUER = 'https://id.example.nhs.uk';

/** The service as deployed behind an https issuer. */
function httpsApp() {
  const config = { ...readConfig(env as unknown as Record<string, unknown>), issuer: HTTPS_ISSUER };
  return testApp({ config });
}

// One of each kind of answer: JSON, a page, an OAuth error, 404, 405, a redirect.
const REQUESTS: [string, RequestInit][] = [
  ['/.well-known/openid-configuration', {}],
  ['/jwks.json', {}],
  ['/signin', {}],
  ['/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }],
  ['/no-such-path', {}],
  ['/introspect', {}],
  ['/authorize?client_id=unknown', {}],
];

describe('HSTS (RFC 6797; RFC 9700 §4.1 assumes TLS everywhere)', () => {
  it.each(REQUESTS)('sends Strict-Transport-Security max-age one year, no includeSubDomains, on %s when the issuer is https', async (path, init) => {
    const res = await httpsApp().fetch(new Request(`${HTTPS_ISSUER}${path}`, init));
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('sends none when the issuer is http (local development on loopback)', async () => {
    const res = await call('/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
