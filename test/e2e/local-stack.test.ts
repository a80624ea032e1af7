// `npm start` as a newcomer runs it: state survives a restart and SIGTERM leaves
// no process behind (contract §1).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendants, startLocalStack, type LocalStack } from '../support/node/local-stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wi-e2e-'));
let stack: LocalStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function admin(s: LocalStack, path: string, init: RequestInit = {}) {
  return fetch(`${s.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${s.adminToken}`, ...(init.headers as Record<string, string>) },
  });
}

describe('npm start', () => {
  let clientUri = '';
  let registrationToken = '';
  let userId = '';

  it('serves discovery, health and the demo data, and prints how to sign in', async () => {
    stack = await startLocalStack(dataDir);
    expect(stack.output()).toContain('admin token');
    expect(stack.output()).toMatch(/enrol\//);
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    const discovery = (await (await fetch(`${stack.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(`http://localhost:${stack.port}`);
    const demo = await admin(stack, `/scim/v2/Users?filter=${encodeURIComponent('userName eq "sam.patel"')}`);
    expect(((await demo.json()) as { totalResults: number }).totalResults).toBe(1);
  });

  it('keeps a registered client and a SCIM user across a restart, and SIGTERM stops every process', async () => {
    const s = stack!;
    const reg = await admin(s, '/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'e2e', redirect_uris: ['https://rp.example/cb'], token_endpoint_auth_method: 'client_secret_basic' }),
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as { registration_client_uri: string; registration_access_token: string };
    clientUri = client.registration_client_uri;
    registrationToken = client.registration_access_token;
    const user = await admin(s, '/scim/v2/Users', {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'restart.person' }),
    });
    expect(user.status).toBe(201);
    userId = ((await user.json()) as { id: string }).id;

    const tree = descendants(s.process.pid!);
    expect(tree.length).toBeGreaterThan(1);
    expect(await s.stop()).toBe(0);
    // workerd and esbuild end a moment after wrangler; give init time to reap them.
    for (let i = 0; i < 50 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 200));
    expect(tree.filter(alive)).toEqual([]);

    stack = await startLocalStack(dataDir, s.port);
    const again = await fetch(clientUri.replace(`http://localhost:${s.port}`, stack.url), {
      headers: { authorization: `Bearer ${registrationToken}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { client_name: string }).client_name).toBe('e2e');
    const found = await admin(stack, `/scim/v2/Users/${userId}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { userName: string }).userName).toBe('restart.person');
  });
});
