import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig, type Config } from '../../../src/config.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER } from '../../support/test-env.ts';
import { basicAuthorization, type TestClient } from '../../support/worker/client-auth.ts';
import { registerClient } from '../../support/worker/clients.ts';
import { testApp, type TestApp } from '../../support/worker/test-app.ts';

/** An app whose limits are all `limit` per minute. */
function limitedApp(limit: number, overrides: Partial<Config['rateLimits']> = {}): TestApp {
  const config = readConfig(env as unknown as Record<string, unknown>);
  const rateLimits = {
    ...config.rateLimits,
    tokenPerClient: limit,
    tokenPerAddress: limit,
    registrationPerAddress: limit,
    scimPerAddress: limit,
    webauthnPerAddress: limit,
    ...overrides,
  };
  return testApp({ config: { ...config, rateLimits } });
}

/** Each test its own address (a random /64), so counters never meet. */
const newAddress = () => `2001:db8:${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}::1`;

function request(app: TestApp, address: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('cf-connecting-ip', address);
  return app.fetch(new Request(new URL(path, TEST_ISSUER), { ...init, headers }));
}

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function expectTooMany(res: Response): Promise<Record<string, unknown>> {
  expect(res.status).toBe(429);
  const wait = Number(res.headers.get('retry-after'));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(60);
  return (await res.json()) as Record<string, unknown>;
}

const ENDPOINTS: [string, string, (app: TestApp, address: string) => Promise<Response>][] = [
  ['the token endpoint', 'token', (app, a) => request(app, a, '/token', form({ grant_type: 'client_credentials' }))],
  ['client registration', 'registration', (app, a) => request(app, a, '/register', json({ redirect_uris: ['https://rp.example.com/cb'] }, admin))],
  ['SCIM', 'scim', (app, a) => request(app, a, '/scim/v2/ServiceProviderConfig', { headers: admin })],
  ['WebAuthn sign-in', 'webauthn', (app, a) => request(app, a, '/webauthn/authentication/options', json({}))],
  ['WebAuthn registration', 'webauthn', (app, a) => request(app, a, '/webauthn/registration/options', json({ code: 'x' }))],
];

describe('per-address rate limits: 429 with Retry-After (docs/assurance.md)', () => {
  it.each(ENDPOINTS)('limits %s per address, answering 429 too_many_requests with Retry-After', async (_what, group, call) => {
    const app = limitedApp(2);
    const address = newAddress();
    for (let i = 0; i < 2; i++) expect((await call(app, address)).status).not.toBe(429);
    const body = await expectTooMany(await call(app, address));
    if (group === 'scim') {
      expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });
    } else {
      expect(body).toMatchObject({ error: 'too_many_requests', error_description: expect.stringContaining(group) });
    }
    // Another address is counted apart.
    expect((await call(app, newAddress())).status).not.toBe(429);
  });

  it('resets when the window ends', async () => {
    const app = limitedApp(1);
    const address = newAddress();
    const call = () => request(app, address, '/webauthn/authentication/options', json({}));
    expect((await call()).status).toBe(200);
    const refused = await call();
    await expectTooMany(refused);
    app.advance(Number(refused.headers.get('retry-after')) * 1000);
    expect((await call()).status).toBe(200);
  });

  it('limits the password sign-in form and the invitation pages with the WebAuthn endpoints', async () => {
    const app = limitedApp(1);
    const address = newAddress();
    expect((await request(app, address, '/signin/password', form({}))).status).not.toBe(429);
    expect((await request(app, address, '/enrol/unknown-code')).status).toBe(429);
  });
});

describe('per-client token endpoint limits (docs/assurance.md)', () => {
  async function serviceClient(): Promise<TestClient> {
    return (await registerClient({ client_name: 'Service', grant_types: ['client_credentials'], redirect_uris: [], scope: 'pds:read' })) as TestClient;
  }
  const tokenRequest = (app: TestApp, client: TestClient, secret = client.client_secret!) =>
    request(app, newAddress(), '/token', form({ grant_type: 'client_credentials' }, { authorization: basicAuthorization(client.client_id, secret) }));

  it('answers 429 once a client has used its limit, from any address, and resets after the window', async () => {
    const app = limitedApp(2, { tokenPerAddress: 1000 });
    const client = await serviceClient();
    expect((await tokenRequest(app, client)).status).toBe(200);
    expect((await tokenRequest(app, client)).status).toBe(200);
    const refused = await tokenRequest(app, client);
    expect(await expectTooMany(refused)).toMatchObject({ error: 'too_many_requests' });
    const other = await serviceClient();
    expect((await tokenRequest(app, other)).status).toBe(200);
    app.advance(60_000);
    expect((await tokenRequest(app, client)).status).toBe(200);
  });

  it('does not let someone without the secret spend a client’s limit (failed authentication is not counted)', async () => {
    const app = limitedApp(2, { tokenPerAddress: 1000 });
    const client = await serviceClient();
    for (let i = 0; i < 5; i++) expect((await tokenRequest(app, client, 'not-the-secret')).status).toBe(401);
    expect((await tokenRequest(app, client)).status).toBe(200);
  });
});

describe('the configured defaults (README)', () => {
  it('are generous enough for a benchmark from one address and can be set by name', () => {
    const defaults = readConfig(env as unknown as Record<string, unknown>).rateLimits;
    expect(defaults).toEqual({
      windowSeconds: 60,
      tokenPerClient: 120_000,
      tokenPerAddress: 240_000,
      registrationPerAddress: 600,
      scimPerAddress: 6_000,
      webauthnPerAddress: 60_000,
      sessionsPerAddress: 12_000,
    });
    const set = readConfig({ ...(env as unknown as Record<string, unknown>), RATE_LIMIT_TOKEN_PER_ADDRESS: '50', LOCKOUT_PERSON_LOCK_AFTER: '30' });
    expect(set.rateLimits.tokenPerAddress).toBe(50);
    expect(set.lockout.person).toEqual({ throttleAfter: 20, lockAfter: 30 });
    expect(set.lockout.pair).toEqual({ throttleAfter: 5, lockAfter: 10 });
    expect(() => readConfig({ ...(env as unknown as Record<string, unknown>), LOCKOUT_PERSON_LOCK_AFTER: '20' })).toThrow(/LOCKOUT_PERSON_LOCK_AFTER/);
  });
});
