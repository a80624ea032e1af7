// Starts `npm start` as a user would, on a free port with its own DATA_DIR, and
// stops it with SIGTERM. With STACK_ENTRY=deno it starts `npm run start:deno`
// instead, so the same end-to-end tests prove both entries.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../scripts/free-port.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface LocalStack {
  url: string;
  port: number;
  demoUrl: string;
  dataDir: string;
  adminToken: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Which entry the end-to-end tests drive: the Worker on workerd (default) or the Deno entry. */
export const STACK_ENTRY = process.env.STACK_ENTRY === 'deno' ? 'deno' : 'workerd';
const START_SCRIPT = STACK_ENTRY === 'deno' ? ['run', 'start:deno'] : ['start'];

export async function startLocalStack(dataDir: string, port?: number, env: Record<string, string> = {}): Promise<LocalStack> {
  const p = port ?? (await freePort());
  const demoPort = await freePort();
  let output = '';
  const child = spawn('npm', START_SCRIPT, {
    cwd: root,
    env: { ...process.env, PORT: String(p), DEMO_PORT: String(demoPort), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://localhost:${p}`;
  const deadline = Date.now() + 120_000;
  while (!output.includes('Stop with Ctrl-C')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { adminToken: string };
  return {
    url,
    port: p,
    demoUrl: `http://localhost:${demoPort}`,
    dataDir,
    adminToken: env.ADMIN_TOKEN ?? secrets.adminToken,
    process: child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Every live process below pid: npm, the start script, wrangler and workerd. */
export function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
