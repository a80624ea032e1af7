// Serves a Worker the way production runs it: the bundle `wrangler deploy
// --dry-run` builds, under workerd through Miniflare's API directly, on a
// loopback port. Not `wrangler dev`: its development proxy caps even a
// hello-world Worker near a quarter of what workerd serves (ARCHITECTURE.md).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { descendants } from './cpu.ts';
import { onStop } from './lifecycle.ts';

const require = createRequire(import.meta.url);

export interface ServedWorker {
  url: string;
  /** The workerd processes serving it, for CPU accounting. */
  pids: number[];
  stop(): Promise<void>;
}

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

/** Starts Miniflare and finds the workerd processes it spawned (new descendants of this process). */
async function startMiniflare(options: MiniflareOptions): Promise<ServedWorker> {
  const before = new Set(descendants().map((p) => p.pid));
  // cf: false: no network here, so no fetching a sample Request.cf from Cloudflare.
  const mf = new Miniflare({ ...options, cf: false, log: new Log(LogLevel.WARN) });
  const stop = onStop(() => mf.dispose());
  const url = await mf.ready;
  const spawned = descendants().filter((p) => !before.has(p.pid));
  const workerd = spawned.filter((p) => p.comm.startsWith('workerd'));
  const pids = (workerd.length > 0 ? workerd : spawned).map((p) => p.pid);
  return { url: url.origin, pids, stop };
}

/** The parts of wrangler.toml the bench serves by. */
interface WranglerConfig {
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

function readWranglerConfig(root: string): WranglerConfig {
  if (cached) return cached;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', READ_CONFIG, join(root, 'wrangler.toml')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const marker = result.stdout.lastIndexOf('@@config ');
  if (result.status !== 0 || marker < 0) throw new Error(`reading wrangler.toml failed:\n${result.stderr}`);
  cached = JSON.parse(result.stdout.slice(marker + '@@config '.length)) as WranglerConfig;
  return cached;
}

export interface ServiceOptions {
  root: string;
  buildDir: string;
  port: number;
  persistDir: string;
  bindings: Record<string, string>;
  /** workerd's V8 inspector, for profiling a scenario (Chrome DevTools, or CDP's Profiler domain). */
  inspectorPort?: number;
}

/** The identity service's bundle with the Durable Objects, compatibility settings and module rules of wrangler.toml. */
export function serveService(options: ServiceOptions): Promise<ServedWorker> {
  const config = readWranglerConfig(options.root);
  const durableObjects = Object.fromEntries(
    config.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: config.sqliteClasses.includes(b.class_name) }]),
  );
  // The build writes each module a [[rules]] entry matched beside index.js, under
  // a content-hashed name the rule's globs no longer match, so type them here.
  const types = new Set(config.rules.map((r) => r.type));
  if (types.size > 1) throw new Error(`wrangler.toml has module rules of several types (${[...types].join(', ')}): teach bench/serve-workerd.ts which file is which`);
  const ruleType = [...types][0] ?? 'Text';
  const additional = readdirSync(options.buildDir).filter((f) => f !== 'index.js' && !f.endsWith('.map') && f !== 'README.md');
  return startMiniflare({
    host: '127.0.0.1',
    port: options.port,
    modulesRoot: options.buildDir,
    modules: [
      { type: 'ESModule', path: join(options.buildDir, 'index.js') },
      ...additional.map((f) => ({ type: ruleType as 'Text', path: join(options.buildDir, f) })),
    ],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    durableObjects,
    durableObjectsPersist: join(options.persistDir, 'durable-objects'),
    bindings: options.bindings,
    ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
  });
}

/** A one-file Worker (the hello-world ceiling), served the same way with the service's compatibility date. */
export function serveScript(root: string, scriptPath: string, port: number): Promise<ServedWorker> {
  const config = readWranglerConfig(root);
  return startMiniflare({
    host: '127.0.0.1',
    port,
    modules: true,
    scriptPath,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
  });
}
