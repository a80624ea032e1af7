// How many libSQL round trips a whole sign-in costs (authorize → passkey or
// password + app → code → tokens), audit included, and a refresh after it:
// counted by wrapping the database's fetch, with the app in Node over memory
// ports. Per sign-in: one read (the credential, or the password holder and their
// app, with the person), one write transaction (the counter or the app's step,
// the signin audit row, the person's index entry), and the authorize.success
// row at resume, which takes along the token.issue rows buffered since the last
// must-write insert (src/audit.ts). The person read at sign-in is carried in the
// session and grant and kept in the isolate's person cache for the refresh.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { createApp } from '../../../src/app.ts';
import { createAuditSink } from '../../../src/audit.ts';
import { PASSWORD, passwordSignInAndContinue, confirmAppOnInvitation, type PasswordHolder } from '../../support/password-sign-in.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { CORE_USER, RBAC_USER } from '../../../src/scim/urns.ts';
import { HttpBrowser, isRedirect, locationParams } from '../../support/http-browser.ts';
import { memoryPorts } from '../../support/node/memory-ports.ts';
import { authorize, authorizePath, CODE_VERIFIER } from '../../support/sign-in.ts';
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
const CARRY_MS_HERE = 3_000;

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  const config = readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url });
  const countingFetch = async (input: Request | string | URL, init?: RequestInit) => {
    if (counting) {
      const raw = input instanceof Request ? await input.clone().text() : init?.body;
      const body = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : '';
      trips.push([...body.matchAll(/"sql":"((?:[^"\\]|\\.)*)/g)].map((m) => m[1]!));
    }
    return fetch(input, init);
  };
  const ports = memoryPorts(config, createDatabase(config, countingFetch as typeof fetch));
  // Buffered best-effort rows wait CARRY_MS_HERE for a must-write insert, so that on this
  // loaded machine the next sign-in surely comes within the wait, as on a busy service.
  const app = createApp({ ...ports, audit: createAuditSink(ports.db, ports.now, { carryMs: CARRY_MS_HERE }) });
  const otherDb = createDatabase(config, countingFetch as typeof fetch);
  const otherIsolate = createApp({ ...ports, db: otherDb, audit: createAuditSink(otherDb, ports.now, { carryMs: CARRY_MS_HERE }) });
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
  const { results, each, after } = await countedStream([work]);
  return { result: results[0]!, trips: [...each[0]!, ...after] };
}

/**
 * Runs the flows one after the other, as a stream of sign-ins on one service, and
 * counts each one's round trips up to its last answer; `after` holds what the
 * deferred work (waitUntil elsewhere) sent once the last flow had its answer.
 */
async function countedStream<T>(flows: (() => Promise<T>)[]): Promise<{ results: T[]; each: string[][][]; after: string[][] }> {
  trips.length = 0;
  deferred.length = 0;
  counting = true;
  try {
    const results: T[] = [];
    const each: string[][][] = [];
    for (const flow of flows) {
      const from = trips.length;
      results.push(await flow());
      each.push(trips.slice(from));
    }
    const from = trips.length;
    await Promise.all(deferred);
    return { results, each, after: trips.slice(from) };
  } finally {
    counting = false;
  }
}

const isPersonRead = (sql: string) => sql.startsWith('select \\"id\\", \\"uid\\"');
/** Rows in an audit insert: one tuple of eight placeholders each, or the one row of an INSERT … SELECT. */
const auditRows = (sql: string) =>
  !sql.startsWith('INSERT INTO audit_events') ? 0 : sql.includes(' SELECT ') ? 1 : sql.split('(?, ?, ?, ?, ?, ?, ?, ?)').length - 1;

async function webClient(name: string): Promise<Record<string, string>> {
  const client = (await post('/register', {
    client_name: name,
    redirect_uris: ['https://rp.example.com/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
    scope: 'openid profile',
  }, true)) as Record<string, string>;
  // The client record is cached in each isolate after its first use, as in production.
  await token(client, { grant_type: 'refresh_token', refresh_token: 'x.y' }, splitFetcher);
  await token(client, { grant_type: 'refresh_token', refresh_token: 'x.y' }, fetcher);
  return client;
}

async function newPerson(givenName: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return post('/scim/v2/Users', {
    schemas: [CORE_USER, RBAC_USER],
    userName: `${givenName.toLowerCase()}.${crypto.randomUUID()}`,
    name: { givenName, familyName: 'Nightingale' },
    active: true,
    [RBAC_USER]: { roles: [{ orgCode: 'RX1', roleCode: 'S8000:G8000:R8000', roleName: 'Clinical Practitioner Access Role' }], organisations: [{ orgCode: 'RX1', orgName: 'Example NHS Trust' }] },
    ...extra,
  }, true);
}

async function passkeyPerson(givenName: string) {
  const person = await newPerson(givenName);
  const { code: invitation } = await post(`/admin/users/${person.id as string}/enrolments`, {}, true);
  const authenticator = new SoftwareAuthenticator();
  const options = await post('/webauthn/registration/options', { code: invitation }, false);
  await post('/webauthn/registration/verify', { code: invitation, response: await authenticator.createCredential(options as never, { origin: TEST_ISSUER }) }, false);
  return { person, authenticator };
}

/** A person with a password and an authenticator app set up on their invitation page. */
async function passwordPerson(givenName: string): Promise<PasswordHolder> {
  const person = await newPerson(givenName, { password: PASSWORD });
  const { url } = await post(`/admin/users/${person.id as string}/enrolments`, {}, true);
  const { app } = await confirmAppOnInvitation(new HttpBrowser(TEST_ISSUER, fetcher), new URL(url as string).pathname);
  return { person: { id: person.id as string, userName: person.userName as string }, password: PASSWORD, app };
}

const redeem = (client: Record<string, string>, done: Response, via = fetcher) => {
  expect(isRedirect(done)).toBe(true);
  const { code } = locationParams(done, TEST_ISSUER);
  return token(client, { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris![0]!, code_verifier: CODE_VERIFIER }, via);
};

/** authorize → passkey → code → tokens. */
async function passkeyFlow(client: Record<string, string>, authenticator: SoftwareAuthenticator, via = fetcher) {
  const browser = new HttpBrowser(TEST_ISSUER, via);
  return redeem(client, await authorize(browser, client as never, authenticator, { scope: 'openid profile' }), via);
}

/** authorize → password and app code → code → tokens. */
async function passwordFlow(client: Record<string, string>, who: PasswordHolder) {
  const browser = new HttpBrowser(TEST_ISSUER, fetcher);
  const page = await browser.navigate(authorizePath(client as never, { scope: 'openid profile' }));
  expect([page.status, browser.url.pathname]).toEqual([200, '/signin']);
  return redeem(client, await passwordSignInAndContinue(browser, who));
}

async function signInEvents(personId: string): Promise<Record<string, unknown>[]> {
  const res = await call(`/admin/audit?${new URLSearchParams({ person: personId, limit: '50' })}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
  return ((await res.json()) as { events: Record<string, unknown>[] }).events.reverse();
}

describe('libSQL round trips of a sign-in and a refresh', () => {
  it('a passkey sign-in (authorize → passkey → code → tokens) reads the person once and makes at most 3 round trips, audit included: the next sign-in carries its token.issue row', async () => {
    const client = await webClient('Round trips RP');
    const { person, authenticator } = await passkeyPerson('Mary');

    const stream = await countedStream([() => passkeyFlow(client, authenticator), () => passkeyFlow(client, authenticator)]);
    expect(stream.results.map((r) => r.status)).toEqual([200, 200]);
    // Before: 12 (the client read at each page, the person at the code and again at the token), then 6.
    for (const trips of stream.each) {
      expect(trips.length).toBeLessThanOrEqual(3);
      expect(trips.flat().filter(isPersonRead)).toHaveLength(1);
      expect(trips.flat().filter((sql) => /^select/.test(sql) && sql.includes('client_secret_hash'))).toEqual([]);
    }
    // The second sign-in's authorize.success insert took the first one's token.issue row along.
    expect(stream.each[1]!.flat().map(auditRows).filter((n) => n > 0)).toEqual([1, 2]);
    // The last token.issue row, with no sign-in after it, goes in a flush after the wait.
    expect(stream.after.map((t) => t.map(auditRows))).toEqual([[1]]);
    // Every authentication's record is complete, and nothing was lost.
    const events = await signInEvents(person.id as string);
    // (A carried row is stored after the must-write row that took it along; `at` keeps its own time.)
    expect(events.map((e) => e.action).filter((a) => a !== 'person.create' && a !== 'enrolment.invite' && a !== 'credential.register').sort()).toEqual(['authorize.success', 'authorize.success', 'signin', 'signin', 'token.issue', 'token.issue']);
    expect(events.find((e) => e.action === 'signin')!.details).toMatchObject({ method: 'passkey', level: 3, amr: ['FIDO2'], aaguid: expect.any(String), credentialId: expect.any(String) });

    const signIn = { result: stream.results[1]! };
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
    expect(after.trips.flat().filter(isPersonRead)).toHaveLength(1);

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

  it('a password + app sign-in reads the holder, their app and the person in one round trip and makes at most 3 in all', async () => {
    const client = await webClient('Password RP');
    const who = await passwordPerson('Clara');

    const stream = await countedStream([() => passwordFlow(client, who), () => passwordFlow(client, who)]);
    expect(stream.results.map((r) => r.status)).toEqual([200, 200]);
    // Before: 9 (holder, app, its step, the person at the code, index, two audit rows, the token's).
    for (const trips of stream.each) {
      expect(trips.length).toBeLessThanOrEqual(3);
      expect(trips.flat().filter(isPersonRead)).toHaveLength(1);
    }
    expect(claimsOf(stream.results[1]!.body.id_token!)).toMatchObject({ given_name: 'Clara', amr: ['PWD', 'TOTP'] });
    expect(stream.after.map((t) => t.map(auditRows))).toEqual([[1]]);
    const events = await signInEvents(who.person.id);
    expect(events.map((e) => e.action).filter((a) => (['signin', 'authorize.success', 'token.issue'] as unknown[]).includes(a)).sort()).toEqual(['authorize.success', 'authorize.success', 'signin', 'signin', 'token.issue', 'token.issue']);
    expect(events.find((e) => e.action === 'signin')!.details).toMatchObject({ method: 'password_totp', level: 2, amr: ['PWD', 'TOTP'], aaguid: null });
  });

  it('carries the person read at sign-in in the session and grant: resume and token in another isolate read no person', async () => {
    const client = await webClient('Snapshot RP');
    const { authenticator } = await passkeyPerson('Edith');

    const stream = await countedStream([() => passkeyFlow(client, authenticator, splitFetcher)]);
    const result = stream.results[0]!;
    expect(result.status).toBe(200);
    expect(claimsOf(result.body.id_token!)).toMatchObject({ given_name: 'Edith' });
    expect(stream.each[0]!.flat().filter(isPersonRead)).toHaveLength(1);
    expect(stream.each[0]!.length).toBeLessThanOrEqual(3);
  });
});
