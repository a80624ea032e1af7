// Our service on this machine as production runs it: the local libSQL server
// as its own process on a temporary database file, migrated, and the
// production bundle under plain workerd on a free loopback port, with the
// Durable Objects of wrangler.toml.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { applyMigrations } from '../scripts/migrate.ts';
import { buildBundle, bundleModules, durableObjectBindings, readWranglerConfig } from './bundle.ts';
import { startNodeChild } from './children.ts';
import type { ServerProcesses } from './cpu.ts';
import { onStop } from './lifecycle.ts';
import { serveWorkerd } from './serve-workerd.ts';

interface LocalService {
  url: string;
  adminToken: string;
  /** workerd and the libSQL server: the server side of every request. */
  processes: ServerProcesses;
  inspectorPort?: number;
  /** The built bundle's directory. */
  buildDir: string;
}

/** Memory-backed on Linux. */
const MEMORY_DIR = '/dev/shm';

/**
 * The Worker's fetch() must reach the libSQL server on loopback; workerd's
 * default network allows only public addresses (workerd.capnp, Network.allow).
 */
const OUTBOUND_ALLOW = ['public', 'private', 'local'];

export const secret = () => randomBytes(32).toString('base64url');

/** A private temporary directory, on tmpfs where there is one, removed when the bench stops. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(existsSync(MEMORY_DIR) ? MEMORY_DIR : tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  onStop(remove, remove);
  return dir;
}

/** The local libSQL server on a database file in `dir`, with its own token, migrated. */
export async function startLibsql(root: string, dir: string): Promise<{ url: string; pid: number; token: string }> {
  const token = secret();
  const libsql = await startNodeChild({
    name: 'the libSQL server',
    script: 'scripts/libsql-server/cli.ts',
    args: ['--file', join(dir, 'directory.db')],
    env: { LIBSQL_AUTH_TOKEN: token },
    cwd: root,
  });
  await applyMigrations(libsql.url, token);
  return { url: libsql.url, pid: libsql.pid, token };
}

export async function startLocalService(root: string, log: (line: string) => void, inspectorPort?: number): Promise<LocalService> {
  // The peer keeps everything in memory; ours keeps Durable Object and libSQL
  // files on tmpfs where there is one, so both are measured without this
  // machine's disk flushes (production storage is neither).
  const dir = scratchDir('identity-bench-');

  log('building the production bundle (wrangler deploy --dry-run)');
  const buildDir = join(dir, 'build');
  buildBundle(root, buildDir);
  const wrangler = readWranglerConfig(root);

  const libsql = await startLibsql(root, dir);

  // The issuer names the port, so it is chosen before workerd starts.
  const port = await freePort();
  const adminToken = secret();
  const durableObjectDir = join(dir, 'durable-objects');
  mkdirSync(durableObjectDir);
  const worker = await serveWorkerd({
    configDir: dir,
    inspectorPort,
    config: {
      bundleDir: buildDir,
      modules: bundleModules(buildDir, wrangler),
      compatibilityDate: wrangler.compatibility_date!,
      compatibilityFlags: wrangler.compatibility_flags,
      address: `127.0.0.1:${port}`,
      vars: { ISSUER: `http://127.0.0.1:${port}`, LIBSQL_URL: libsql.url, LOG_LEVEL: 'warn' },
      secrets: ['ADMIN_TOKEN', 'KEY_ENCRYPTION_SECRET', 'LIBSQL_AUTH_TOKEN'],
      durableObjects: durableObjectBindings(wrangler),
      durableObjectDir,
      outboundAllow: OUTBOUND_ALLOW,
    },
    secretValues: { ADMIN_TOKEN: adminToken, KEY_ENCRYPTION_SECRET: secret(), LIBSQL_AUTH_TOKEN: libsql.token },
  });
  const health = await fetch(`${worker.url}/healthz`);
  if (health.status !== 200) throw new Error(`the service is not healthy: ${health.status} ${await health.text()}`);
  log(`ours on ${worker.url} (workerd ${worker.pids.join(', ')}, libSQL server ${libsql.pid})`);
  if (worker.inspectorPort) log(`workerd's inspector on 127.0.0.1:${worker.inspectorPort} (chrome://inspect)`);
  return { url: worker.url, adminToken, processes: { workerd: worker.pids, 'libSQL server': [libsql.pid] }, inspectorPort: worker.inspectorPort, buildDir };
}

/** The floor: a Worker that does nothing, served by the same workerd with the service's compatibility settings. */
export async function startHelloWorld(root: string): Promise<{ url: string; processes: ServerProcesses }> {
  const wrangler = readWranglerConfig(root);
  const worker = await serveWorkerd({
    configDir: scratchDir('identity-bench-hello-'),
    config: {
      bundleDir: join(root, 'bench'),
      modules: [{ name: 'hello-world.js', type: 'esModule' }],
      compatibilityDate: wrangler.compatibility_date!,
      compatibilityFlags: wrangler.compatibility_flags,
      address: '127.0.0.1:0',
    },
  });
  return { url: worker.url, processes: { workerd: worker.pids } };
}
