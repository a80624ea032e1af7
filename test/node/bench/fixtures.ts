// Made-up benchmark results for the report and chart tests: two targets of
// ours, so every figure is shown to be per target.
import type { LoadResult } from '../../../bench/load.ts';
import type { BenchResults } from '../../../bench/results.ts';

export const WORKERD = 'ours (workerd)';
export const DENO = 'ours (deno)';

export function loadResult(perSecond: number, overrides: Partial<LoadResult> = {}): LoadResult {
  return {
    count: perSecond * 10,
    errors: 0,
    errorSamples: [],
    durationS: 10,
    perSecond,
    latencyMs: { p50: 4, p90: 8, p99: 12, max: 30 },
    serverCpuS: 10,
    serverCpuByRole: { workerd: 8, 'libSQL server': 2 },
    clientCpuS: 3,
    ...overrides,
  };
}

export function benchResults(): BenchResults {
  return {
    date: '2026-01-01T00:00:00.000Z',
    machine: { cpus: 2, model: 'Test CPU', node: '20.0.0', loadAverage: [0.5, 0.5, 0.5] },
    options: { durationS: 10, connections: 32, warmupS: 1, url: null },
    targets: [WORKERD, DENO],
    introspected: { ours: 'a JWT access token', peer: 'an opaque access token', poolSize: 256 },
    helloWorld: { [WORKERD]: loadResult(4000), [DENO]: loadResult(2000) },
    scenarios: [
      // workerd: 3000/s on 10 CPU-s against 1000/s on 10 CPU-s: 3× per CPU-second, 75% of its hello-world.
      // deno: 1500/s on 10 CPU-s: 1.5× (below the 2× target), 75% of its own hello-world.
      { id: 'a', name: 'client_credentials (client_secret_basic)', unit: 'req', ours: { [WORKERD]: loadResult(3000), [DENO]: loadResult(1500, { latencyMs: { p50: 20, p90: 40, p99: 60, max: 90 } }) }, peer: loadResult(1000) },
      // workerd failed: one error.
      { id: 'c', name: 'introspection', unit: 'req', ours: { [WORKERD]: loadResult(1000, { errors: 1, errorSamples: ['introspection: 500'] }), [DENO]: loadResult(1000) }, peer: loadResult(1000, { serverCpuS: 5 }) },
      { id: 'e', name: 'full sign-in', unit: 'sign-in', ours: { [WORKERD]: loadResult(50, { latencyMs: { p50: 40, p90: 60, p99: 80, max: 90 } }), [DENO]: null }, peer: loadResult(100) },
    ],
  };
}
