// A whole sign-in through createApp(memoryPorts) in plain Node: enrolment, a
// passkey sign-in, the code, refresh rotation and reuse, introspection and
// logout, with sessions and grants in the memory record store (the portable
// path a Deno or Redis deployment takes) and the directory in a real libSQL server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../../../scripts/libsql-server/server.ts';
import { applyMigrations } from '../../../scripts/migrate.ts';
import { createApp } from '../../../src/app.ts';
import { readConfig } from '../../../src/config.ts';
import { createDatabase } from '../../../src/directory/database.ts';
import { CORE_USER, RBAC_USER } from '../../../src/scim/urns.ts';
import type { SessionRecord } from '../../../src/session/session-record.ts';
import { HttpBrowser, isRedirect, locationParams } from '../../support/http-browser.ts';
import { memoryPorts, type MemoryPorts } from '../../support/node/memory-ports.ts';
import { authorize, CODE_VERIFIER } from '../../support/sign-in.ts';
import { TEST_ADMIN_TOKEN, TEST_ISSUER, TEST_KEY_ENCRYPTION_SECRET } from '../../support/test-env.ts';
import { SoftwareAuthenticator } from '../../support/webauthn/authenticator.ts';

const dir = mkdtempSync(join(tmpdir(), 'memory-flow-'));
let server: LibsqlServer;
let ports: MemoryPorts;
let fetcher: (request: Request) => Promise<Response>;

beforeAll(async () => {
  server = await startLibsqlServer({ file: join(dir, 'directory.db'), port: 0 });
  await applyMigrations(server.url);
  const config = readConfig({ ISSUER: TEST_ISSUER, ADMIN_TOKEN: TEST_ADMIN_TOKEN, KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET, LIBSQL_URL: server.url });
  ports = memoryPorts(config, createDatabase(config));
  const app = createApp(ports);
  fetcher = async (request) => app.fetch(request);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetcher(new Request(new URL(path, TEST_ISSUER), init));
}

async function adminJson(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': path.startsWith('/scim') ? 'application/scim+json' : 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function postJson(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await call(path, { method: 'POST', headers: { 'content-type': 'application/json', origin: TEST_ISSUER }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

interface Client {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

async function token(client: Client, params: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const res = await call('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret, ...params }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function introspect(client: Client, value: string): Promise<Record<string, unknown>> {
  const res = await call('/introspect', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.client_id, client_secret: client.client_secret, token: value }).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('a whole sign-in over memory ports (createApp in Node, no Durable Object)', () => {
  it('signs in with a passkey into one session record holding the grant; refresh rotates, reuse revokes the family (RFC 9700 §4.14.2)', async () => {
    const client = (await adminJson('/register', {
      client_name: 'Memory flow RP',
      redirect_uris: ['https://rp.example.com/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
    })) as unknown as Client;
    const person = await adminJson('/scim/v2/Users', {
      schemas: [CORE_USER, RBAC_USER],
      userName: `memory.${crypto.randomUUID()}`,
      name: { givenName: 'Mary', familyName: 'Seacole' },
      active: true,
    });
    const { code: invitation } = await adminJson(`/admin/users/${person.id as string}/enrolments`, {});
    const authenticator = new SoftwareAuthenticator();
    const options = await postJson('/webauthn/registration/options', { code: invitation });
    const response = await authenticator.createCredential(options as never, { origin: TEST_ISSUER });
    await postJson('/webauthn/registration/verify', { code: invitation, response });

    const browser = new HttpBrowser(TEST_ISSUER, fetcher);
    const done = await authorize(browser, client, authenticator);
    expect(isRedirect(done)).toBe(true);
    const { code } = locationParams(done, TEST_ISSUER);
    const first = await token(client, { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER });
    expect(first.status).toBe(200);
    expect(await introspect(client, first.body.access_token!)).toMatchObject({ active: true, client_id: client.client_id });

    // One sign-in, one record: the session and the grant made in it.
    const keys = ports.records.keys();
    expect(keys).toHaveLength(1);
    const sessionId = browser.cookie('session')!.value.split('.')[0]!;
    expect(keys[0]).toBe(`session:${sessionId}`);
    const stored = (await ports.records.read(keys[0]!))!.value as SessionRecord;
    expect(stored.grants).toHaveLength(1);
    expect(stored.session!.clients).toEqual([{ clientId: client.client_id, firstServedAt: expect.any(Number) }]);

    const second = await token(client, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect(second.status).toBe(200);
    const replay = await token(client, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
    expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant']);
    for (const value of [second.body.access_token!, second.body.refresh_token!]) expect(await introspect(client, value)).toEqual({ active: false });
    const again = await token(client, { grant_type: 'authorization_code', code: code!, redirect_uri: client.redirect_uris[0]!, code_verifier: CODE_VERIFIER });
    expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
  });
});
