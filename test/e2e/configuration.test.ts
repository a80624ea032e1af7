// `npm start` honours the Worker's configuration from its environment (README,
// "Configuration"): a public ISSUER, lifetimes passed through to the Worker, and
// a bad value refused at start with a message naming the variable.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../support/node/local-stack.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
let stack: LocalStack | undefined;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wi-config-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await stack?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ISSUER = 'https://identity.example.test';

describe('npm start configuration', () => {
  it('starts with a public ISSUER (the demo client then has no loopback back-channel URI) and passes lifetimes to the Worker', async () => {
    const dataDir = tempDir();
    stack = await startLocalStack(dataDir, undefined, { ISSUER, ACCESS_TOKEN_TTL: '120', LOG_LEVEL: 'warn' });
    const discovery = (await (await fetch(`${stack.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(ISSUER);
    expect(discovery.token_endpoint).toBe(`${ISSUER}/token`);

    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as { client: { client_id: string; client_secret: string; registration_access_token: string } };
    const { client_id, client_secret, registration_access_token } = demo.client;
    const registration = await fetch(`${stack.url}/register/${client_id}`, { headers: { authorization: `Bearer ${registration_access_token}` } });
    expect(registration.status).toBe(200);
    const metadata = (await registration.json()) as Record<string, unknown>;
    expect(metadata.backchannel_logout_uri).toBeUndefined();
    expect(metadata.redirect_uris).toEqual([`${stack.demoUrl}/callback`]);

    const token = await fetch(`${stack.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { expires_in: number }).expires_in).toBe(120);
    await stack.stop();
    stack = undefined;
  });

  it('refuses a bad value before starting anything, naming the variable', async () => {
    const child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, PORT: '1', DATA_DIR: tempDir(), ACCESS_TOKEN_TTL: 'ten minutes' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(output).toContain('ACCESS_TOKEN_TTL');
    expect(output).not.toContain('Stop with Ctrl-C');
  });
});
