// The load loop: `connections` virtual users, each running one unit of work at
// a time back to back (closed loop) for a fixed duration after a short warm-up,
// with latencies kept for percentiles and every failure counted.

export interface LoadScenario<S> {
  /** A virtual user's state, made before timing (and again after a failure, since a broken chain cannot go on). */
  prepare(vu: number): Promise<S>;
  /** One counted unit of work; throws on any unexpected status or failed step. May update `state`. */
  run(state: S, vu: number): Promise<void>;
}

interface LoadOptions {
  durationS: number;
  connections: number;
  /** Not counted: lets JIT, isolate caches and connection pools settle. */
  warmupS: number;
  /** Cumulative server CPU seconds by process role, read at the start and end of the measured window. */
  serverCpu?: () => Record<string, number>;
  /** Told when the measured window opens and closes (e.g. to profile exactly that window). */
  onWindow?: (edge: 'open' | 'close') => void;
  onProgress?: (progress: { elapsedS: number; count: number; errors: number; warmup: boolean }) => void;
}

export interface LoadResult {
  count: number;
  errors: number;
  /** A few distinct error messages, for the report. */
  errorSamples: string[];
  durationS: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  serverCpuS: number | null;
  /** The same, by process role (workerd, the libSQL server...), to show where the server's time goes. */
  serverCpuByRole: Record<string, number> | null;
  /** The load generator's own CPU seconds: near durationS means the client, not the server, was the limit. */
  clientCpuS: number;
}

/** Nearest-rank percentile (p in 0–100) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

const MAX_ERROR_SAMPLES = 5;

function cpuDelta(start: Record<string, number>, end: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(end).map(([role, s]) => [role, s - (start[role] ?? 0)]));
}

export async function runLoad<S>(scenario: LoadScenario<S>, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const errorSamples = new Set<string>();
  let errors = 0;
  const fail = (err: unknown) => {
    errors += 1;
    if (errorSamples.size < MAX_ERROR_SAMPLES) errorSamples.add(err instanceof Error ? err.message : String(err));
  };
  // A user that cannot even be prepared is a failure of the scenario, whenever it happens.
  const prepared = await Promise.allSettled(Array.from({ length: options.connections }, (_, vu) => scenario.prepare(vu)));
  // Wrapped, since a scenario's state may itself be undefined; null means "prepare this user first".
  const states = prepared.map((p): { value: S } | null => (p.status === 'fulfilled' ? { value: p.value } : (fail(p.reason), null)));
  const started = performance.now();
  const measureFrom = started + options.warmupS * 1000;
  const measureUntil = measureFrom + options.durationS * 1000;
  let cpuAtStart: Record<string, number> | null = null;
  let cpuAtEnd: Record<string, number> | null = null;
  let clientAtStart: NodeJS.CpuUsage | null = null;
  let clientCpuS = 0;
  // Server and client CPU are read at the edges of the measured window.
  const openWindow = () => {
    if (clientAtStart) return;
    cpuAtStart = options.serverCpu?.() ?? null;
    clientAtStart = process.cpuUsage();
    options.onWindow?.('open');
  };
  const closeWindow = () => {
    if (!clientAtStart || cpuAtEnd) return;
    cpuAtEnd = options.serverCpu?.() ?? {};
    const used = process.cpuUsage(clientAtStart);
    clientCpuS = (used.user + used.system) / 1e6;
    options.onWindow?.('close');
  };
  const openTimer = setTimeout(openWindow, measureFrom - started);
  const closeTimer = setTimeout(closeWindow, measureUntil - started);
  const progress = setInterval(() => {
    const now = performance.now();
    const warmup = now < measureFrom;
    const elapsedMs = warmup ? now - started : Math.min(now, measureUntil) - measureFrom;
    options.onProgress?.({ elapsedS: elapsedMs / 1000, count: latencies.length, errors, warmup });
  }, 250);

  const inWindow = (t: number) => t >= measureFrom && t <= measureUntil;
  const virtualUser = async (vu: number) => {
    let state = states[vu] ?? null;
    while (performance.now() < measureUntil) {
      const t0 = performance.now();
      try {
        if (state === null) {
          state = { value: await scenario.prepare(vu) };
          continue;
        }
        await scenario.run(state.value, vu);
        const t1 = performance.now();
        // Successes count by completion time, so units straddling an edge are neither lost nor doubled.
        if (inWindow(t1)) latencies.push(t1 - t0);
      } catch (err) {
        // Failures count too when they began in the window: a request that hangs past the end is not forgiven.
        if (inWindow(t0) || inWindow(performance.now())) fail(err);
        // A broken chain cannot go on: the next turn prepares this user again.
        if (state === null) await new Promise((r) => setTimeout(r, 100)); // the server is struggling: do not spin
        state = null;
      }
    }
  };
  try {
    await Promise.all(states.map((_, vu) => virtualUser(vu)));
  } finally {
    clearInterval(progress);
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
  }
  // The last unit may finish a moment before the timer fires.
  openWindow();
  closeWindow();
  latencies.sort((a, b) => a - b);
  const completed = latencies.length;
  const byRole = options.serverCpu && cpuAtStart && cpuAtEnd ? cpuDelta(cpuAtStart, cpuAtEnd) : null;
  return {
    count: completed,
    errors,
    errorSamples: [...errorSamples],
    durationS: options.durationS,
    perSecond: completed / options.durationS,
    latencyMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN },
    serverCpuS: byRole ? Object.values(byRole).reduce((a, b) => a + b, 0) : null,
    serverCpuByRole: byRole,
    clientCpuS,
  };
}
