// How many libSQL round trips a whole sign-in costs (authorize → passkey →
// code → tokens), audit included, and a refresh after it: counted by wrapping
// the database's fetch, with the app in Node over memory ports. The credential
// and its owner are read in one round trip at sign-in and the owner kept in the
// isolate's person cache, which the code grant and the refresh grant read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { createApp } from '../../../src/app.ts';
import { createAuditSink } from '../../../src/audit.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { CORE_USER, RBAC_USER } from '../../../src/scim/urns.ts';
import { HttpBrowser, isRedirect, locationParams } from '../../support/http-browser.ts';
import { memoryPorts } from '../../support/node/memory-ports.ts';
import { authorize, CODE_VERIFIER } from '../../support/sign-in.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';

const dir = mkdtempSync(join(tmpdir(), 'round-trips-'));
let server: LibsqlServer;
let fetcher: (request: Request) => Promise<Response>;
/** The same service in a second isolate (its own database connection and caches) for the resume and token steps. */
let splitFetcher: (request: Request) => Promise<Response>;
/** Every libSQL request's SQL, in order, while `counting` is on. */
const trips: string[][] = [];
let counting = false;
/** Work deferred past the answer (waitUntil elsewhere): awaited before counting stops. */
const deferred: Promise<unknown>[] = [];

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  const config = readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url });
  const countingFetch = async (input: Request | string | URL, init?: RequestInit) => {
    if (counting) {
      const raw = input instanceof Request ? await input.clone().text() : init?.body;
      const body = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : '';
      trips.push([...body.matchAll(/"sql":"((?:[^"\\]|\\.){0,60})/g)].map((m) => m[1]!));
    }
    return fetch(input, init);
  };
  const ports = memoryPorts(config, createDatabase(config, countingFetch as typeof fetch));
  const app = createApp(ports);
  const otherDb = createDatabase(config, countingFetch as typeof fetch);
  const otherIsolate = createApp({ ...ports, db: otherDb, audit: createAuditSink(otherDb, ports.now) });
  const ctx = { waitUntil: (p: Promise<unknown>) => void deferred.push(p), passThroughOnException: () => {}, props: {} };
  fetcher = async (request) => app.fetch(request, {}, ctx as never);
  splitFetcher = async (request) => {
    const path = new URL(request.url).pathname;
    return (path === '/authorize/resume' || path === '/token' ? otherIsolate : app).fetch(request, {}, ctx as never);
  };
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetcher(new Request(new URL(path, TEST_ISSUER), init));
}

async function post(path: string, body: unknown, admin: boolean): Promise<Record<string, unknown>> {
  const res = await call(path, {
    method: 'POST',
    headers: {
      ...(admin ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } : { origin: TEST_ISSUER }),
      'content-type': path.startsWith('/scim') ? 'application/scim+json' : 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function token(client: Record<string, string>, params: Record<string, string>, via = fetcher) {
  const res = await via(new Request(new URL('/token', TEST_ISSUER), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.client_id!, client_secret: client.client_secret!, ...params }).toString(),
  }));
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; trips: string[][] }> {
  trips.length = 0;
  deferred.length = 0;
  counting = true;
  try {
    const result = await work();
    await Promise.all(deferred);
    return { result, trips: [...trips] };
  } finally {
    counting = false;
  }
}

describe('libSQL round trips of a sign-in and a refresh', () => {
  it('a whole passkey sign-in (authorize → passkey → code → tokens) reads the person once and makes at most 6 round trips, audit included; a refresh makes none but its deferred audit row', async () => {
    const client = (await post('/register', {
      client_name: 'Round trips RP',
      redirect_uris: ['https://rp.example.com/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid profile',
    }, true)) as Record<string, string>;
    const person = await post('/scim/v2/Users', {
      schemas: [CORE_USER, RBAC_USER],
      userName: `trips.${crypto.randomUUID()}`,
      name: { givenName: 'Mary', familyName: 'Seacole' },
      active: true,
      [RBAC_USER]: { roles: [{ orgCode: 'RX1', roleCode: 'S8000:G8000:R8000', roleName: 'Clinical Practitioner Access Role' }], organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }] },
    }, true);
    const { code: invitation } = await post(`/admin/users/${person.id as string}/enrolments`, {}, true);
    const authenticator = new SoftwareAuthenticator();
    const options = await post('/webauthn/registration/options', { code: invitation }, false);
    const response = await authenticator.createCredential(options as never, { origin: TEST_ISSUER });
    await post('/webauthn/registration/verify', { code: invitation, response }, false);
    // The client record is cached in the isolate after its first use, as in production.
    await token(client, { grant_type: 'refresh_token', refresh_token: 'x.y' });

    const signIn = await counted(async () => {
      const browser = new HttpBrowser(TEST_ISSUER, fetcher);
      const done = await authorize(browser, client as never, authenticator, { scope: 'openid profile' });
      expect(isRedirect(done)).toBe(true);
      const { code } = locationParams(done, TEST_ISSUER);
      return token(client, { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris![0]!, code_verifier: CODE_VERIFIER });
    });
    expect(signIn.result.status).toBe(200);
    // Before: 12 (the client read at each page, the person at the code and again at the token).
    expect(signIn.trips.length).toBeLessThanOrEqual(6);
    const personReads = signIn.trips.flat().filter((sql) => sql.startsWith('select \\"id\\", \\"uid\\"'));
    expect(personReads).toHaveLength(1);
    expect(signIn.trips.flat().filter((sql) => /^select/.test(sql) && sql.includes('client_secret_hash'))).toEqual([]);

    const refresh = await counted(() => token(client, { grant_type: 'refresh_token', refresh_token: signIn.result.body.refresh_token! }));
    expect(refresh.result.status).toBe(200);
    expect(claimsOf(refresh.result.body.id_token!)).toMatchObject({ given_name: 'Mary' });
    expect(refresh.trips).toEqual([[expect.stringMatching(/^INSERT INTO audit_events/)]]);

    // A SCIM change is seen at once in this isolate: the next refresh reads the person again.
    const renamed = await call(`/scim/v2/Users/${person.id as string}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Florence' }] }),
    });
    expect(renamed.status).toBe(200);
    const after = await counted(() => token(client, { grant_type: 'refresh_token', refresh_token: refresh.result.body.refresh_token! }));
    expect(after.result.status).toBe(200);
    expect(claimsOf(after.result.body.id_token!)).toMatchObject({ given_name: 'Florence' });
    expect(after.trips.flat().filter((sql) => sql.startsWith('select \\"id\\", \\"uid\\"'))).toHaveLength(1);

    // Deactivation revokes the grant, which is refused before any claim is read: the cache revives nothing.
    const deactivated = await call(`/scim/v2/Users/${person.id as string}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] }),
    });
    expect(deactivated.status).toBe(200);
    const refused = await token(client, { grant_type: 'refresh_token', refresh_token: after.result.body.refresh_token! });
    expect([refused.status, refused.body.error]).toEqual([400, 'invalid_grant']);
  });
  it('carries the person read at sign-in in the session and grant: resume and token in another isolate read no person', async () => {
    const client = (await post('/register', {
      client_name: 'Snapshot RP',
      redirect_uris: ['https://rp.example.com/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      scope: 'openid profile',
    }, true)) as Record<string, string>;
    const person = await post('/scim/v2/Users', {
      schemas: [CORE_USER, RBAC_USER],
      userName: `snapshot.${crypto.randomUUID()}`,
      name: { givenName: 'Edith', familyName: 'Cavell' },
      active: true,
    }, true);
    const { code: invitation } = await post(`/admin/users/${person.id as string}/enrolments`, {}, true);
    const authenticator = new SoftwareAuthenticator();
    const options = await post('/webauthn/registration/options', { code: invitation }, false);
    await post('/webauthn/registration/verify', { code: invitation, response: await authenticator.createCredential(options as never, { origin: TEST_ISSUER }) }, false);
    // Both isolates have seen the client before, as in production.
    await token(client, { grant_type: 'refresh_token', refresh_token: 'x.y' }, splitFetcher);
    await token(client, { grant_type: 'refresh_token', refresh_token: 'x.y' }, fetcher);

    const signIn = await counted(async () => {
      const browser = new HttpBrowser(TEST_ISSUER, splitFetcher);
      const done = await authorize(browser, client as never, authenticator, { scope: 'openid profile' });
      const { code } = locationParams(done, TEST_ISSUER);
      return token(client, { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris![0]!, code_verifier: CODE_VERIFIER }, splitFetcher);
    });
    expect(signIn.result.status).toBe(200);
    expect(claimsOf(signIn.result.body.id_token!)).toMatchObject({ given_name: 'Edith' });
    expect(signIn.trips.flat().filter((sql) => sql.startsWith('select \\"id\\", \\"uid\\"'))).toHaveLength(1);
    expect(signIn.trips.length).toBeLessThanOrEqual(6);
  });
});
