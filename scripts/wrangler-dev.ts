// Runs the Worker under `wrangler dev` with its Durable Object state under
// DATA_DIR, and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

interface WranglerDevOptions {
  cwd: string;
  port: number;
  dataDir: string;
  /** Passed to the Worker through an env file (mode 0600), never on the command line. */
  vars: Record<string, string>;
  config?: string;
  name: string;
  inspectorPort: number;
}

export function startWranglerDev(options: WranglerDevOptions): ChildProcess {
  const envFile = join(options.dataDir, `${options.name}.env`);
  const lines = Object.entries(options.vars).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  writeFileSync(envFile, lines.join('\n') + '\n', { mode: 0o600 });
  const wrangler = require.resolve('wrangler/bin/wrangler.js');
  const args = [
    wrangler,
    'dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--inspector-port', String(options.inspectorPort),
    '--persist-to', join(options.dataDir, 'durable-objects'),
    '--env-file', envFile,
    '--show-interactive-dev-session=false',
    '--log-level', 'warn',
  ];
  if (options.config) args.push('--config', options.config);
  return spawn(process.execPath, args, {
    cwd: options.cwd,
    // Its own process group, so stopping it stops workerd too.
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    // No network here or in CI: do not ask Cloudflare for a sample Request.cf.
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_UPDATE_NOTIFIER: '1' },
  });
}

export async function waitForHealthy(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, signal);
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
