// What every end-to-end file around `npm start` sets up the same way: its own
// stack on a free loopback port with a fresh DATA_DIR, started before the file's
// tests and stopped after them, and one headless Chromium for the files that
// drive a browser. Each call declares its beforeAll and afterAll hooks where it
// is made; vitest runs beforeAll hooks in the order declared and afterAll hooks
// in reverse (sequence.hooks "stack"), so the file's own hooks, declared below
// these calls, run with the stack up and finish before it stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser.ts';
import { startLocalStack, type LocalStack } from './local-stack.ts';

/**
 * The file's stack: an object filled in by its beforeAll hook (so `stack.url`
 * reads as usual in tests and later hooks), stopped with SIGTERM and its data
 * directory removed after the file. `name` tags the temporary directory.
 */
export function useStack(name: string, env: Record<string, string> = {}): LocalStack {
  const stack = {} as LocalStack;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `wi-${name}-`));
    Object.assign(stack, await startLocalStack(dataDir, undefined, env));
  });
  afterAll(async () => {
    // Not set when the start failed: there is nothing to stop.
    if (stack.stop) await stack.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return stack;
}

/** The file's Chromium, launched before its tests and closed after them; answers a getter for it. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is launched in beforeAll: use it inside a hook or a test');
    return browser;
  };
}
