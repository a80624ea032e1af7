// The production bundle as `wrangler deploy --dry-run` builds it, and the parts
// of wrangler.toml that say how to serve it: compatibility settings, Durable
// Objects (and which are SQLite-backed), and the type of each extra module.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BundleModule, DurableObjectBinding, ModuleType } from './workerd-config.ts';

const require = createRequire(import.meta.url);

/** Builds the production bundle into `outdir` (emptied first, so no stale module is served). */
export function buildBundle(root: string, outdir: string): void {
  rmSync(outdir, { recursive: true, force: true });
  const wrangler = require.resolve('wrangler/bin/wrangler.js');
  const result = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_LOG: 'warn', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' },
  });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stderr || result.stdout}`);
}

/** The parts of wrangler.toml the bench serves by. */
export interface WranglerConfig {
  compatibility_date?: string;
  compatibility_flags: string[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  rules: { type: string }[];
  /** Durable Object classes on SQLite storage (new_sqlite_classes in [[migrations]]). */
  sqliteClasses: string[];
}

// Wrangler reads its own config, in a child process: importing wrangler here
// would install its SIGINT/SIGTERM handlers, which exit before the bench can stop what it started.
const READ_CONFIG = `
import { unstable_readConfig, unstable_getDurableObjectClassNameToUseSQLiteMap } from 'wrangler';
const c = unstable_readConfig({ config: process.argv[1] });
const sqlite = unstable_getDurableObjectClassNameToUseSQLiteMap(c.migrations);
const sqliteClasses = [...sqlite].filter(([, on]) => on).map(([name]) => name);
const { compatibility_date, compatibility_flags, durable_objects, rules } = c;
process.stdout.write('\\n@@config ' + JSON.stringify({ compatibility_date, compatibility_flags, durable_objects, rules, sqliteClasses }));
`;

let cached: WranglerConfig | undefined;

export function readWranglerConfig(root: string): WranglerConfig {
  if (cached) return cached;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', READ_CONFIG, join(root, 'wrangler.toml')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const marker = result.stdout.lastIndexOf('@@config ');
  if (result.status !== 0 || marker < 0) throw new Error(`reading wrangler.toml failed:\n${result.stderr}`);
  cached = JSON.parse(result.stdout.slice(marker + '@@config '.length)) as WranglerConfig;
  if (!cached.compatibility_date) throw new Error('wrangler.toml has no compatibility_date');
  return cached;
}

/** Every Durable Object binding of wrangler.toml, SQLite-backed where its migration says so. */
export function durableObjectBindings(config: WranglerConfig): DurableObjectBinding[] {
  return config.durable_objects.bindings.map((b) => ({ binding: b.name, className: b.class_name, sql: config.sqliteClasses.includes(b.class_name) }));
}

/** wrangler's module rule types (the [[rules]] `type`) as workerd names them. */
const RULE_TYPES: Record<string, ModuleType> = { ESModule: 'esModule', CommonJS: 'commonJsModule', Text: 'text', Data: 'data', CompiledWasm: 'wasm' };

/**
 * The built bundle's modules: index.js first, then every [[rules]] module the
 * build wrote beside it. The build names those by content hash, which the
 * rule's globs no longer match, so the one rule type there is names them all.
 */
export function bundleModules(buildDir: string, config: WranglerConfig): BundleModule[] {
  const types = [...new Set(config.rules.map((r) => r.type))];
  if (types.length > 1) throw new Error(`wrangler.toml has module rules of several types (${types.join(', ')}): teach bench/bundle.ts which file is which`);
  const type = RULE_TYPES[types[0] ?? 'Text'];
  if (!type) throw new Error(`wrangler.toml's module rule type ${types[0]} has no workerd equivalent here`);
  const extra = readdirSync(buildDir)
    .filter((f) => f !== 'index.js' && !f.endsWith('.map') && f !== 'README.md')
    .sort();
  return [{ name: 'index.js', type: 'esModule' }, ...extra.map((name) => ({ name, type }))];
}
