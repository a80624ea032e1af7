// The Worker's binding types (workers/worker-configuration.d.ts) are generated
// from wrangler.toml by `npm run types`; this keeps the checked-in file in step
// with the configuration. `wrangler types --check` compares offline.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const wrangler = join(root, 'node_modules/.bin/wrangler');
const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.types!;
const args = script.split(' ').slice(1);
const dir = mkdtempSync(join(tmpdir(), 'wrangler-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(config?: string): Promise<number> {
  try {
    await promisify(execFile)(wrangler, [...args, '--check', ...(config ? ['-c', config] : [])], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('the generated Worker binding types', () => {
  it('are up to date with wrangler.toml (run `npm run types` after changing it)', async () => {
    expect(await check()).toBe(0);
  }, 60_000);

  it('are reported out of date against a wrangler.toml with another binding', async () => {
    const changed = readFileSync(join(root, 'wrangler.toml'), 'utf8')
      .replace(/^main = ".*"$/m, `main = ${JSON.stringify(resolve(root, 'workers/index.ts'))}`)
      .replace(/^\[vars\]$/m, '[vars]\nANOTHER = "x"');
    const config = join(dir, 'wrangler.toml');
    writeFileSync(config, changed);
    expect(await check(config)).not.toBe(0);
  }, 60_000);
});
