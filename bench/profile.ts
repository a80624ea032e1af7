// A V8 CPU profile of workerd's isolate over a scenario's measured window,
// through workerd's inspector (Chrome DevTools Protocol, Profiler domain), and
// the functions that spent the most self time, located in the bundle's
// source files by esbuild's `// path` comments.
import { WebSocket } from 'undici';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface SelfTime {
  functionName: string;
  /** Source file (from the bundle's module comments) and the bundle's line, or the script's URL and line. */
  location: string;
  selfMs: number;
  /** Of the busy samples (all but "(idle)"): the isolate's CPU time. */
  share: number;
}

/** Where a script's 0-based line came from, or null if not known. */
type Locator = (url: string, line: number) => string | null;

/**
 * Maps a 0-based line of an esbuild bundle (the script `scriptUrl`, as the
 * profile names it) to the source file it came from: the last `// path`
 * comment above it. Other scripts (the runtime's own, e.g. node-internal:*) are not located.
 */
export function bundleLocator(bundleSource: string, scriptUrl = 'index.js'): Locator {
  const starts: { line: number; path: string }[] = [];
  bundleSource.split('\n').forEach((text, line) => {
    const m = /^\/\/ ((?:src|workers|node_modules|scripts)\/\S+)$/.exec(text);
    if (m) starts.push({ line, path: m[1]! });
  });
  return (url, line) => {
    if (url !== scriptUrl) return null;
    let lo = 0;
    let hi = starts.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.path;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Self time by function (name and location), largest first. */
export function topSelfTime(profile: CpuProfile, limit: number, locate: Locator = () => null): SelfTime[] {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = new Map<number, number>();
  for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
  const samples = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const busy = samples - idle;
  const msPerSample = samples > 0 ? totalMs / samples : 0;
  const byFunction = new Map<string, SelfTime>();
  for (const n of profile.nodes) {
    const hit = hits.get(n.id) ?? 0;
    if (hit === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || (url ? '(anonymous)' : '(native)');
    // A located function keeps its bundle line too: the source file's own lines are not known here.
    const source = url ? locate(url, lineNumber) : null;
    const location = !url ? '' : source ? `${source} (${url}:${lineNumber + 1})` : `${url}:${lineNumber + 1}`;
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { functionName: name, location, selfMs: 0, share: 0 };
    entry.selfMs += hit * msPerSample;
    entry.share += name === '(idle)' || busy === 0 ? 0 : hit / busy;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, limit);
}

/** Self time summed by source file (node_modules packages by package), largest first. */
export function selfTimeByFile(rows: readonly SelfTime[]): { file: string; selfMs: number }[] {
  const byFile = new Map<string, number>();
  for (const r of rows) {
    const path = r.location.replace(/ \(.*\)$|:\d+$/, '') || r.functionName;
    const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
    const file = pkg ? `node_modules/${pkg}` : path;
    byFile.set(file, (byFile.get(file) ?? 0) + r.selfMs);
  }
  return [...byFile].map(([file, selfMs]) => ({ file, selfMs })).sort((a, b) => b.selfMs - a.selfMs);
}

/** A CDP session with the first target of an inspector (workerd lists one per Worker). */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    });
  }

  static async connect(inspectorPort: number): Promise<InspectorSession> {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl?: string; title?: string }[];
    const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
    if (!url) throw new Error(`the inspector on ${inspectorPort} lists no target`);
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot open ${url}`)), { once: true });
    });
    return new InspectorSession(socket);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Starts sampling (every `intervalUs` µs); the answer stops it and gives the profile. */
export async function startProfile(session: InspectorSession, intervalUs = 200): Promise<() => Promise<CpuProfile>> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.send('Profiler.start');
  return async () => (await session.send<{ profile: CpuProfile }>('Profiler.stop')).profile;
}
