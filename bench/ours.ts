// The ways the bench can run our service: one target per runtime the core is
// served on, each a row of every scenario, measured against the same peer.
// A target starts its server (and its runtime's do-nothing floor) and says
// which processes do the server's work.
import { join } from 'node:path';
import type { ServerProcesses } from './cpu.ts';
import { startDenoHelloWorld, startDenoService } from './deno-stack.ts';
import { startHelloWorld, startLocalService } from './stack.ts';

interface StartContext {
  root: string;
  log: (line: string) => void;
  /** Open the runtime's V8 inspector (0: any free port), to profile a scenario. */
  inspectorPort?: number;
}

export interface RunningOurs {
  url: string;
  adminToken: string;
  /** Every process doing the server's work, by role; null when the server is not ours to watch (--url). */
  processes: ServerProcesses | null;
  inspectorPort?: number;
  /** The bundle the runtime runs, so a profile can name source files. */
  bundleFile?: string;
}

interface RunningFloor {
  url: string;
  processes: ServerProcesses;
}

interface OursTarget {
  /** The row's name in every table, e.g. "ours (workerd)". */
  name: string;
  start(context: StartContext): Promise<RunningOurs>;
  /** A server that does nothing, on the same runtime and served the same way: the floor of this target's cost. */
  startHelloWorld?(context: StartContext): Promise<RunningFloor>;
}

/** The production bundle under plain `workerd serve`, with the local libSQL server. */
export const WORKERD: OursTarget = {
  name: 'ours (workerd)',
  start: async ({ root, log, inspectorPort }) => {
    const service = await startLocalService(root, log, inspectorPort);
    return { ...service, bundleFile: join(service.buildDir, 'index.js') };
  },
  startHelloWorld: ({ root }) => startHelloWorld(root),
};

/**
 * The Deno entry (deno/main.ts) with redis-server behind the REST bridge and the
 * libSQL server, as `npm run start:deno` runs it; every one of them is counted.
 */
export const DENO: OursTarget = {
  name: 'ours (deno)',
  start: ({ root, log, inspectorPort }) => startDenoService(root, log, inspectorPort),
  startHelloWorld: () => startDenoHelloWorld(),
};

/** Every runtime ours runs on, in the order each scenario runs them. */
export const OURS_TARGETS: readonly OursTarget[] = [WORKERD, DENO];

/** A service the bench did not start (--url): measured, but its CPU is not ours to read. */
export function existingService(url: string, adminToken: string): OursTarget {
  return { name: 'ours (url)', start: async () => ({ url, adminToken, processes: null }) };
}
