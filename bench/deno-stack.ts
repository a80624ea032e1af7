// Our service on Deno as `npm run start:deno` runs it: the Deno entry
// (deno/main.ts) with sessions, grants and caches in a redis-server behind the
// Upstash REST bridge (its own Node process here, so its CPU is counted apart),
// and the directory in the local libSQL server. Every one of these processes does
// the server's work, so each is measured.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../scripts/free-port.ts';
import { redisServerBinary } from '../scripts/redis-rest-bridge/redis-server.ts';
import { startNodeChild, stopChild } from './children.ts';
import type { ServerProcesses } from './cpu.ts';
import { onStop } from './lifecycle.ts';
import { scratchDir, secret, startLibsql } from './stack.ts';

const require = createRequire(import.meta.url);

/** The deno binary the `deno` npm package installs (its bin.cjs only spawns it, which would add a Node process). */
function denoBinary(): string {
  return join(dirname(require.resolve('deno/bin.cjs')), 'deno');
}

const DENO_ENV = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };

/** Spawns a server process and registers it for cleanup; ready once `ready` sees its line, or once `probe` answers. */
async function startProcess(name: string, command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; ready: () => Promise<boolean> }): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'inherit'] });
  // Keep its stdout drained; a full pipe would stall it.
  createInterface({ input: child.stdout! }).on('line', () => {});
  onStop(
    () => stopChild(child),
    () => child.kill('SIGTERM'),
  );
  const deadline = Date.now() + 60_000;
  while (!(await options.ready())) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return child;
}

const answers = (url: string) => async () => {
  try {
    const res = await fetch(url);
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
};

function connects(port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      import('node:net').then(({ connect }) => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }, () => resolve(false));
    });
}

interface DenoService {
  url: string;
  adminToken: string;
  processes: ServerProcesses;
  inspectorPort?: number;
}

export async function startDenoService(root: string, log: (line: string) => void, inspectorPort?: number): Promise<DenoService> {
  const dir = scratchDir('identity-bench-deno-');
  const libsql = await startLibsql(root, dir);

  // In memory, as the Durable Objects' storage is on tmpfs: no disk flush is measured.
  const redisPort = await freePort();
  const redis = await startProcess('redis-server', redisServerBinary(), ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'], {
    ready: connects(redisPort),
  });
  const redisToken = secret();
  const bridge = await startNodeChild({
    name: 'the Redis REST bridge',
    script: 'scripts/redis-rest-bridge/cli.ts',
    args: ['--redis', `127.0.0.1:${redisPort}`],
    env: { UPSTASH_REDIS_REST_TOKEN: redisToken },
    cwd: root,
  });

  const port = await freePort();
  const adminToken = secret();
  const url = `http://127.0.0.1:${port}`;
  const inspect = inspectorPort === undefined ? [] : [`--inspect=127.0.0.1:${inspectorPort || (await freePort())}`];
  const deno = await startProcess('deno', denoBinary(), ['run', ...inspect, '--allow-net', '--allow-env', '--allow-read', '--no-prompt', join(root, 'deno/main.ts')], {
    cwd: root,
    // Settings by the environment, as scripts/start-deno.ts passes them.
    env: {
      ...DENO_ENV,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      ISSUER: url,
      ADMIN_TOKEN: adminToken,
      KEY_ENCRYPTION_SECRET: secret(),
      LIBSQL_URL: libsql.url,
      LIBSQL_AUTH_TOKEN: libsql.token,
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: redisToken,
      LOG_LEVEL: 'warn',
    },
    ready: answers(`${url}/healthz`),
  });
  const inspectorPortUsed = inspect.length > 0 ? Number(inspect[0]!.split(':').pop()) : undefined;
  log(`ours on Deno at ${url} (deno ${deno.pid}, redis-server ${redis.pid}, REST bridge ${bridge.pid}, libSQL server ${libsql.pid})`);
  return {
    url,
    adminToken,
    processes: { deno: [deno.pid!], 'redis-server': [redis.pid!], 'REST bridge': [bridge.pid], 'libSQL server': [libsql.pid] },
    inspectorPort: inspectorPortUsed,
  };
}

/** The floor: Deno.serve answering "ok" to everything, as bench/hello-world.js does, on the same binary. */
export async function startDenoHelloWorld(): Promise<{ url: string; processes: ServerProcesses }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const code = `Deno.serve({ port: ${port}, hostname: '127.0.0.1', onListen() {} }, () => new Response('ok'));`;
  const deno = await startProcess('deno (hello world)', denoBinary(), ['eval', code], { env: DENO_ENV, ready: answers(url) });
  return { url, processes: { deno: [deno.pid!] } };
}
