// Node child processes the bench runs (the libSQL server, the peer provider):
// started with tsx, ready once they print a JSON line with their URL on stdout,
// stopped with SIGTERM (SIGKILL after a grace period) and registered for cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onStop } from './lifecycle.ts';

interface NodeChild {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

interface NodeChildOptions {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startNodeChild(options: NodeChildOptions): Promise<NodeChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    // stderr passes through: a child's complaint is worth seeing during a run.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = onStop(
    () => stopChild(child),
    () => child.kill('SIGTERM'),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start within ${(options.timeoutMs ?? 30_000) / 1000} s`)), options.timeoutMs ?? 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: unknown };
        if (typeof parsed.url === 'string') {
          clearTimeout(timer);
          resolve(parsed.url);
        }
      } catch {
        // not the ready line
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { pid: child.pid!, url, stop };
}
