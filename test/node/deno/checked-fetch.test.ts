// Runs the Deno tests of the Deno entry's outbound fetch (test/deno/) with
// `deno test`, after making a throwaway certificate for rp.test.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'checked-fetch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Deno outbound fetch (deno test test/deno/checked-fetch.test.ts)', () => {
  it('connects to the checked address with the TLS name kept, and refuses non-public addresses before connecting', () => {
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=rp.test', '-addext', 'subjectAltName=DNS:rp.test'], { stdio: 'ignore' });
    const deno = createRequire(import.meta.url).resolve('deno/bin.cjs');
    const run = spawnSync(process.execPath, [deno, 'test', '--allow-net', '--allow-read', '--allow-env', '--no-prompt', 'test/deno/checked-fetch.test.ts'], {
      env: { ...process.env, CHECKED_FETCH_CERT: cert, CHECKED_FETCH_KEY: key, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/ok \| 3 passed \| 0 failed/);
  }, 150_000);
});
