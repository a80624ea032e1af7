// The shape of a benchmark run's results (bench/results/latest.json) and the
// figures derived from them that the table, the chart and the targets use.
import type { LoadResult } from './load.ts';

export interface ScenarioResult {
  id: string;
  name: string;
  unit: 'req' | 'sign-in';
  ours: LoadResult | null;
  peer: LoadResult | null;
}

export interface BenchResults {
  date: string;
  machine: { cpus: number; model: string; node: string; loadAverage: number[] };
  options: { durationS: number; connections: number; warmupS: number; url: string | null };
  /** What scenario (c) introspects on each side. */
  introspected: { ours: string; peer: string };
  helloWorld: LoadResult | null;
  scenarios: ScenarioResult[];
}

export const failed = (r: LoadResult | null): boolean => r !== null && (r.errors > 0 || r.count === 0);

/** Units per server CPU-second; null when the server's CPU was not measured. */
export function perCpuSecond(r: LoadResult | null): number | null {
  if (!r || r.serverCpuS === null || r.serverCpuS <= 0) return null;
  return r.count / r.serverCpuS;
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;

export interface Derived {
  oursPerCpu: number | null;
  peerPerCpu: number | null;
  /** ours / peer, per server CPU-second. */
  cpuRatio: number | null;
  /** ours / peer, by raw units per second. */
  rawRatio: number | null;
  /** ours' units/s over the hello-world Worker's requests/s. */
  ofHelloWorld: number | null;
}

export function derive(s: ScenarioResult, helloWorld: LoadResult | null): Derived {
  const oursPerCpu = perCpuSecond(s.ours);
  const peerPerCpu = perCpuSecond(s.peer);
  return {
    oursPerCpu,
    peerPerCpu,
    cpuRatio: ratio(oursPerCpu, peerPerCpu),
    rawRatio: ratio(s.ours?.perSecond, s.peer?.perSecond),
    ofHelloWorld: ratio(s.ours?.perSecond, helloWorld?.perSecond),
  };
}

export interface TargetCheck {
  scenario: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const fmtRatio = (r: number | null) => (r === null ? 'n/a' : `${r.toFixed(2)}×`);
const fmtPercent = (r: number | null) => (r === null ? 'n/a' : `${Math.round(r * 100)}%`);

/** The targets, each with what this run measured (null: could not be judged). */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const s of results.scenarios) {
    const d = derive(s, results.helloWorld);
    const label = `(${s.id}) ${s.name}`;
    if (s.id === 'a' || s.id === 'c') {
      checks.push({ scenario: label, target: '≥ 2× the peer per server CPU-second', measured: fmtRatio(d.cpuRatio), met: d.cpuRatio === null ? null : d.cpuRatio >= 2 });
      checks.push({ scenario: label, target: '≥ 50% of hello-world req/s', measured: fmtPercent(d.ofHelloWorld), met: d.ofHelloWorld === null ? null : d.ofHelloWorld >= 0.5 });
    }
    if (s.id === 'e') {
      checks.push({ scenario: label, target: '≥ the peer’s scripted login (sign-ins/s)', measured: fmtRatio(d.rawRatio), met: d.rawRatio === null ? null : d.rawRatio >= 1 });
    }
    if (s.ours) {
      const p99 = s.ours.latencyMs.p99;
      const what = s.unit === 'sign-in' ? 'p99 < 50 ms (a whole sign-in)' : 'p99 < 50 ms';
      const measured = Number.isFinite(p99) ? `${p99.toFixed(1)} ms` : 'n/a';
      checks.push({ scenario: label, target: `${what} at concurrency ${results.options.connections}`, measured, met: Number.isFinite(p99) ? p99 < 50 : null });
    }
    if (failed(s.ours)) checks.push({ scenario: label, target: 'no errors', measured: `${s.ours!.errors.toLocaleString('en-GB')} errors`, met: false });
  }
  return checks;
}
