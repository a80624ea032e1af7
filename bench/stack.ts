// Our service on this machine as production runs it: the local libSQL server
// as its own process on a temporary database file, migrated, and the
// production bundle under workerd on a free loopback port.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { applyMigrations } from '../scripts/migrate.ts';
import { startNodeChild } from './children.ts';
import type { ServerProcesses } from './cpu.ts';
import { onStop } from './lifecycle.ts';
import { buildBundle, serveService } from './serve-workerd.ts';

export interface LocalService {
  url: string;
  adminToken: string;
  /** workerd and the libSQL server: the server side of every request. */
  processes: ServerProcesses;
}

/** Memory-backed on Linux. */
export const MEMORY_DIR = '/dev/shm';

const secret = () => randomBytes(32).toString('base64url');

export async function startLocalService(root: string, log: (line: string) => void, inspectorPort?: number): Promise<LocalService> {
  // The peer keeps everything in memory; ours keeps Durable Object and libSQL
  // files on tmpfs where there is one, so both are measured without this
  // machine's disk flushes (production storage is neither).
  const dir = mkdtempSync(join(existsSync(MEMORY_DIR) ? MEMORY_DIR : tmpdir(), 'identity-bench-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  onStop(remove, remove);

  log('building the production bundle (wrangler deploy --dry-run)');
  const buildDir = join(root, 'bench', '.build');
  buildBundle(root, buildDir);

  const libsqlToken = secret();
  const libsql = await startNodeChild({
    name: 'the libSQL server',
    script: 'scripts/libsql-server/cli.ts',
    args: ['--file', join(dir, 'directory.db')],
    env: { LIBSQL_AUTH_TOKEN: libsqlToken },
    cwd: root,
  });
  await applyMigrations(libsql.url, libsqlToken);

  const port = await freePort();
  const adminToken = secret();
  const worker = await serveService({
    root,
    buildDir,
    port,
    persistDir: dir,
    inspectorPort,
    bindings: {
      ISSUER: `http://127.0.0.1:${port}`,
      ADMIN_TOKEN: adminToken,
      KEY_ENCRYPTION_SECRET: secret(),
      LIBSQL_URL: libsql.url,
      LIBSQL_AUTH_TOKEN: libsqlToken,
      LOG_LEVEL: 'warn',
    },
  });
  const health = await fetch(`${worker.url}/healthz`);
  if (health.status !== 200) throw new Error(`the service is not healthy: ${health.status} ${await health.text()}`);
  log(`ours on ${worker.url} (workerd ${worker.pids.join(', ')}, libSQL server ${libsql.pid})`);
  if (inspectorPort) log(`workerd's inspector on 127.0.0.1:${inspectorPort} (chrome://inspect)`);
  return { url: worker.url, adminToken, processes: { workerd: worker.pids, 'libSQL server': [libsql.pid] } };
}
