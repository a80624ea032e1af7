import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleModules, durableObjectBindings, type WranglerConfig } from '../../../bench/bundle.ts';

const config: WranglerConfig = {
  compatibility_date: '2026-04-20',
  compatibility_flags: ['nodejs_compat'],
  durable_objects: { bindings: [{ name: 'KEYS', class_name: 'KeysObject' }, { name: 'OLD', class_name: 'KvObject' }] },
  rules: [{ type: 'Text' }],
  sqliteClasses: ['KeysObject'],
};

describe('the bundle as workerd serves it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['index.js', 'index.js.map', 'README.md', 'ffee-site.css', 'aa11-enrol.js']) writeFileSync(join(dir, f), '');

  it('serves index.js first as an ES module, the rule modules by the rule’s type, and neither the map nor the README', () => {
    expect(bundleModules(dir, config)).toEqual([
      { name: 'index.js', type: 'esModule' },
      { name: 'aa11-enrol.js', type: 'text' },
      { name: 'ffee-site.css', type: 'text' },
    ]);
  });

  it('refuses rules of several types, since the built names no longer say which is which', () => {
    expect(() => bundleModules(dir, { ...config, rules: [{ type: 'Text' }, { type: 'Data' }] })).toThrow(/several types/);
  });

  it('binds every Durable Object of wrangler.toml, SQLite-backed where its migration says so', () => {
    expect(durableObjectBindings(config)).toEqual([
      { binding: 'KEYS', className: 'KeysObject', sql: true },
      { binding: 'OLD', className: 'KvObject', sql: false },
    ]);
  });
});
