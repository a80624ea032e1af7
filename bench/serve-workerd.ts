// Serves a Worker the way production runs it: plain `workerd serve` (the
// binary wrangler installs) with a generated config, on a loopback port. Not
// `wrangler dev` (its development proxy caps even a hello-world Worker near a
// quarter of what workerd serves) and not Miniflare's API (its entry worker
// adds its own CPU to every request): only workerd, as in production.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { stopChild } from './children.ts';
import { onStop } from './lifecycle.ts';
import { workerdConfig, type WorkerdConfigOptions } from './workerd-config.ts';

const require = createRequire(import.meta.url);

export interface ServedWorker {
  url: string;
  /** The workerd process serving it, for CPU accounting. */
  pids: number[];
  /** The V8 inspector's port, when asked for. */
  inspectorPort?: number;
  stop(): Promise<void>;
}

/** The workerd binary of the `workerd` package wrangler depends on. */
function workerdBinary(): string {
  return (require('workerd') as { default: string }).default;
}

interface ServeOptions {
  /** The config, less configDir (the directory it is written to). */
  config: Omit<WorkerdConfigOptions, 'configDir'>;
  /** A private directory (tmpfs) for the config file. */
  configDir: string;
  /** Values of config.secrets, given to workerd in its environment only. */
  secretValues?: Record<string, string>;
  /** Open workerd's V8 inspector on this loopback port (0: any free one). */
  inspectorPort?: number;
  startTimeoutMs?: number;
}

interface ControlMessage {
  event?: string;
  socket?: string;
  port?: number;
}

/** workerd's --control-fd says when each socket listens, and on which port. */
function waitForListening(control: Readable, inspector: boolean, timeoutMs: number, exited: Promise<string>): Promise<{ port: number; inspectorPort?: number }> {
  const ready = new Promise<{ port: number; inspectorPort?: number }>((resolve) => {
    let port: number | undefined;
    let inspectorPort: number | undefined;
    createInterface({ input: control }).on('line', (line) => {
      let message: ControlMessage;
      try {
        message = JSON.parse(line) as ControlMessage;
      } catch {
        return;
      }
      if (message.event === 'listen' && message.socket === 'http') port = message.port;
      if (message.event === 'listen-inspector') inspectorPort = message.port;
      if (port !== undefined && (!inspector || inspectorPort !== undefined)) resolve({ port, inspectorPort });
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const failed = exited.then((why) => Promise.reject(new Error(`workerd exited (${why}) before it listened`)));
  return Promise.race([ready, timeout, failed]).finally(() => clearTimeout(timer));
}

export async function serveWorkerd(options: ServeOptions): Promise<ServedWorker> {
  const text = workerdConfig({ ...options.config, configDir: options.configDir });
  const file = join(options.configDir, 'workerd.capnp');
  writeFileSync(file, text, { mode: 0o600 });
  const args = ['serve', file, 'config', '--control-fd=3'];
  if (options.inspectorPort !== undefined) args.push(`--inspector-addr=127.0.0.1:${options.inspectorPort}`);
  const child = spawn(workerdBinary(), args, {
    cwd: options.configDir,
    // Only what workerd needs: the secrets reach the Worker through fromEnvironment bindings.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.secretValues },
    // The Worker's console.log goes to stderr with workerd's own messages: stdout carries the bench's table.
    stdio: ['ignore', process.stderr, 'inherit', 'pipe'],
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(code ?? signal))));
  const stop = onStop(
    () => stopChild(child, 2000),
    () => child.kill('SIGKILL'),
  );
  try {
    const { port, inspectorPort } = await waitForListening(child.stdio[3] as Readable, options.inspectorPort !== undefined, options.startTimeoutMs ?? 30_000, exited);
    return { url: `http://127.0.0.1:${port}`, pids: [child.pid!], inspectorPort, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
