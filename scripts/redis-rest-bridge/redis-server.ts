// A redis-server (Debian's package) on a free loopback port: in memory only for
// tests and trying the Upstash path by hand, persisted for `npm run start:deno`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { freePort } from '../free-port.ts';

export interface RedisServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

const MISSING = 'redis-server is not installed: install it (Debian: `apt-get install redis-server`) to run the Upstash tests';

/** The redis-server binary to run; throws a message saying how to install it when there is none. */
export function redisServerBinary(): string {
  const binary = process.env['REDIS_SERVER'] ?? 'redis-server';
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error(MISSING);
  return binary;
}

function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface RedisServerOptions {
  /** Keep the data in an append-only file under this folder, so it survives a restart; in memory only without it. */
  persistTo?: string;
}

/** Starts redis-server on `port` (a free one by default); answers once it accepts connections. */
export async function startRedisServer(port?: number, options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = redisServerBinary();
  port ??= await freePort();
  // appendfsync everysec: a crash loses at most a second, as Upstash's own durability promises.
  const storage = options.persistTo
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--dir', options.persistTo]
    : ['--save', '', '--appendonly', 'no', '--dir', tmpdir()];
  const child: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', ...storage, '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const deadline = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not listen on ${port} within 10 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    host: '127.0.0.1',
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
